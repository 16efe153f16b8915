package dev.cirrus.shared.files;

/**
 * A derived image stored beside the original.
 *
 * @param objectName its name in the files bucket
 */
public record Thumbnail(
    String variant, int width, int height, String contentType, String objectName) {
  public static final String THUMB256 = "thumb256";
}
