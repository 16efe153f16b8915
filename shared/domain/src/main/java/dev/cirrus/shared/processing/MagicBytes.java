package dev.cirrus.shared.processing;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Media type sniffing from a file's first bytes: what the bytes are, whatever the client said.
 * Executables are named as such so they can never pass as an image.
 */
public final class MagicBytes {
  /** How many leading bytes {@link #detect} looks at. */
  public static final int HEAD = 8192;

  public static final String OCTET_STREAM = "application/octet-stream";
  public static final String EXECUTABLE = "application/x-executable";

  private MagicBytes() {}

  public static String detect(byte[] head, int length) {
    if (starts(head, length, 0xFF, 0xD8, 0xFF)) {
      return "image/jpeg";
    }
    if (starts(head, length, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return "image/png";
    }
    if (ascii(head, length, 0, "GIF87a") || ascii(head, length, 0, "GIF89a")) {
      return "image/gif";
    }
    if (ascii(head, length, 0, "RIFF") && ascii(head, length, 8, "WEBP")) {
      return "image/webp";
    }
    if (ascii(head, length, 4, "ftyp") && length >= 12) {
      String brand = new String(head, 8, 4, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
      return switch (brand) {
        case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1" -> "image/heic";
        case "isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "m4v ", "dash" ->
            "video/mp4";
        default -> OCTET_STREAM;
      };
    }
    if (ascii(head, length, 0, "%PDF-")) {
      return "application/pdf";
    }
    if (ascii(head, length, 0, "MZ")
        || starts(head, length, 0x7F, 'E', 'L', 'F')
        || starts(head, length, 0xCF, 0xFA, 0xED, 0xFE)
        || starts(head, length, 0xCE, 0xFA, 0xED, 0xFE)
        || starts(head, length, 0xCA, 0xFE, 0xBA, 0xBE)
        || ascii(head, length, 0, "#!")) {
      return EXECUTABLE;
    }
    if (isText(head, length)) {
      return "text/plain";
    }
    return OCTET_STREAM;
  }

  /** The top-level type, {@code image} of {@code image/png}: declared and detected must agree. */
  public static String family(String mediaType) {
    return mediaType.substring(0, mediaType.indexOf('/'));
  }

  /** UTF-8 without NULs or other C0 controls but tab, newline, carriage return and form feed. */
  private static boolean isText(byte[] head, int length) {
    for (int i = 0; i < length; i++) {
      int b = head[i] & 0xFF;
      if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') {
        return false;
      }
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    // Not the end of input: the head may cut a multi-byte character, which is not an error.
    CharBuffer chars = CharBuffer.allocate(length);
    return !decoder.decode(ByteBuffer.wrap(head, 0, length), chars, false).isError();
  }

  private static boolean starts(byte[] head, int length, int... expected) {
    if (length < expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if ((head[i] & 0xFF) != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean ascii(byte[] head, int length, int offset, String expected) {
    if (length < offset + expected.length()) {
      return false;
    }
    for (int i = 0; i < expected.length(); i++) {
      if (head[offset + i] != expected.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
