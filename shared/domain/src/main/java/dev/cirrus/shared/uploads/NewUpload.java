package dev.cirrus.shared.uploads;

import dev.cirrus.shared.config.UploadPolicy;
import dev.cirrus.shared.error.BadRequest;
import dev.cirrus.shared.error.PayloadTooLarge;
import dev.cirrus.shared.error.UnsupportedMediaType;
import java.text.Normalizer;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A validated upload request: every rule of {@code POST /v1/uploads} is checked here, each failure
 * naming its field.
 *
 * @param filename NFC-normalised
 * @param contentType lower-case media type without parameters
 */
public record NewUpload(
    String filename, String contentType, long size, Optional<String> md5, Optional<String> crc32c) {

  public static final int MAX_FILENAME_LENGTH = 255;

  /** Validates raw request fields against {@code policy}. */
  public static NewUpload validate(
      String filename,
      String contentType,
      Long size,
      String md5,
      String crc32c,
      UploadPolicy policy) {
    return new NewUpload(
        filename(filename),
        contentType(contentType, policy),
        size(size, policy),
        digest("md5", md5, 16),
        digest("crc32c", crc32c, 4));
  }

  /** The filename rules, shared with renames. */
  public static String filename(String raw) {
    if (raw == null) {
      throw BadRequest.invalidField("filename", "is required");
    }
    String name = Normalizer.normalize(raw, Normalizer.Form.NFC);
    int length = name.codePointCount(0, name.length());
    if (length < 1 || length > MAX_FILENAME_LENGTH) {
      throw BadRequest.invalidField(
          "filename", "must be 1-" + MAX_FILENAME_LENGTH + " characters, got " + length);
    }
    if (name.isBlank() || name.equals(".") || name.equals("..")) {
      throw BadRequest.invalidField("filename", "must name a file");
    }
    boolean bad =
        name.codePoints()
            .anyMatch(
                c ->
                    c == '/'
                        || c == '\\'
                        || Character.isISOControl(c)
                        || Character.getType(c) == Character.LINE_SEPARATOR
                        || Character.getType(c) == Character.PARAGRAPH_SEPARATOR);
    if (bad) {
      throw BadRequest.invalidField(
          "filename", "must not contain control characters or path separators");
    }
    if (hasInvisibleTrick(name)) {
      throw BadRequest.invalidField(
          "filename",
          "must not contain bidirectional controls or zero-width characters (they can make"
              + " 'gpj.exe' read as 'exe.jpg')");
    }
    return name;
  }

  /**
   * Bidirectional controls reorder what a reader sees, and zero-width characters hide in plain
   * sight: either can disguise a name. A zero-width joiner between two pictographs is allowed: it
   * is how emoji sequences such as a family are written.
   */
  private static boolean hasInvisibleTrick(String name) {
    int[] cps = name.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      int c = cps[i];
      boolean bidi =
          c == 0x061C
              || c == 0x200E
              || c == 0x200F
              || (c >= 0x202A && c <= 0x202E)
              || (c >= 0x2066 && c <= 0x2069);
      boolean zeroWidth = c == 0x200B || c == 0x200C || c == 0x2060 || c == 0xFEFF || c == 0x180E;
      boolean strayJoiner =
          c == 0x200D
              && !(i > 0 && i < cps.length - 1 && pictograph(cps[i - 1]) && pictograph(cps[i + 1]));
      if (bidi || zeroWidth || strayJoiner) {
        return true;
      }
    }
    return false;
  }

  /** Emoji and pictographs, and the variation selector an emoji may carry before a joiner. */
  private static boolean pictograph(int c) {
    return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) || c == 0xFE0F;
  }

  private static String contentType(String raw, UploadPolicy policy) {
    if (raw == null || raw.isBlank()) {
      throw BadRequest.invalidField("contentType", "is required");
    }
    String type = raw.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!type.matches("[a-z0-9.+-]+/[a-z0-9.+-]+")) {
      throw BadRequest.invalidField("contentType", "is not a media type");
    }
    if (!policy.allowedTypes().contains(type)) {
      throw new UnsupportedMediaType(
          "type-not-allowed",
          "contentType: "
              + type
              + " is not accepted; accepted: "
              + String.join(", ", new TreeSet<>(policy.allowedTypes())));
    }
    return type;
  }

  private static long size(Long size, UploadPolicy policy) {
    if (size == null) {
      throw BadRequest.invalidField("size", "is required");
    }
    if (size < 1) {
      throw BadRequest.invalidField("size", "must be at least 1 byte");
    }
    if (size > policy.maxUploadBytes()) {
      throw new PayloadTooLarge(
          "upload-too-large",
          "size: " + size + " bytes exceeds the limit of " + policy.maxUploadBytes());
    }
    return size;
  }

  private static Optional<String> digest(String field, String value, int bytes) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      if (Base64.getDecoder().decode(value).length == bytes) {
        return Optional.of(value);
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw BadRequest.invalidField(field, "must be the base64 of " + bytes + " bytes");
  }
}
