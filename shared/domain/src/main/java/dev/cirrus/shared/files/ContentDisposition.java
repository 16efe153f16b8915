package dev.cirrus.shared.files;

import java.nio.charset.StandardCharsets;

/** The {@code Content-Disposition} a download is served with (RFC 6266, RFC 8187). */
public final class ContentDisposition {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private ContentDisposition() {}

  /**
   * An attachment named as uploaded: a quoted ASCII fallback for old clients, and the exact name as
   * an RFC 8187 {@code filename*} value, in which every byte that is not an {@code attr-char} is
   * percent-encoded ({@code *}, {@code '}, {@code %} and {@code ;} included).
   */
  public static String attachment(String filename) {
    String ascii = filename.replaceAll("[^\\x20-\\x7e]", "_").replace("\"", "_").replace("\\", "_");
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + extValue(filename);
  }

  static String extValue(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (isAttrChar(c)) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  /**
   * RFC 8187 section 3.2.1: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" /
   * "`" / "|" / "~".
   */
  private static boolean isAttrChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$&+-.^_`|~".indexOf(c) >= 0;
  }
}
