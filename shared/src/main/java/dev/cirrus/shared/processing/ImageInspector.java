package dev.cirrus.shared.processing;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.gif.GifHeaderDirectory;
import com.drew.metadata.heif.HeifDirectory;
import com.drew.metadata.jpeg.JpegDirectory;
import com.drew.metadata.png.PngDirectory;
import com.drew.metadata.webp.WebpDirectory;
import dev.cirrus.shared.files.ImageInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;

/**
 * Reads what an image declares about itself (dimensions, EXIF) from its headers only, so the pixel
 * limit is enforced before a single pixel is decoded.
 */
public final class ImageInspector {
  private final long maxPixels;

  public ImageInspector(long maxPixels) {
    this.maxPixels = maxPixels;
  }

  /**
   * @param type the sniffed media type, one of the image types
   * @throws Rejection when the headers cannot be read or declare too many pixels
   */
  public ImageInfo inspect(Path file, String type) {
    Metadata metadata;
    try {
      metadata = ImageMetadataReader.readMetadata(file.toFile());
    } catch (ImageProcessingException | IOException | RuntimeException e) {
      throw new Rejection(
          Rejection.IMAGE_UNREADABLE, "cannot read the image headers: " + e.getMessage());
    }
    int[] size =
        switch (type) {
          case "image/jpeg" ->
              size(
                  metadata,
                  JpegDirectory.class,
                  JpegDirectory.TAG_IMAGE_WIDTH,
                  JpegDirectory.TAG_IMAGE_HEIGHT);
          case "image/png" ->
              size(
                  metadata,
                  PngDirectory.class,
                  PngDirectory.TAG_IMAGE_WIDTH,
                  PngDirectory.TAG_IMAGE_HEIGHT);
          case "image/gif" ->
              size(
                  metadata,
                  GifHeaderDirectory.class,
                  GifHeaderDirectory.TAG_IMAGE_WIDTH,
                  GifHeaderDirectory.TAG_IMAGE_HEIGHT);
          case "image/webp" ->
              size(
                  metadata,
                  WebpDirectory.class,
                  WebpDirectory.TAG_IMAGE_WIDTH,
                  WebpDirectory.TAG_IMAGE_HEIGHT);
          case "image/heic" ->
              size(
                  metadata,
                  HeifDirectory.class,
                  HeifDirectory.TAG_IMAGE_WIDTH,
                  HeifDirectory.TAG_IMAGE_HEIGHT);
          default -> null;
        };
    if (size == null || size[0] <= 0 || size[1] <= 0) {
      throw new Rejection(Rejection.IMAGE_UNREADABLE, "the image does not declare its dimensions");
    }
    long pixels = (long) size[0] * size[1];
    if (pixels > maxPixels) {
      throw new Rejection(
          Rejection.IMAGE_TOO_LARGE,
          size[0] + "x" + size[1] + " is " + pixels + " pixels; the limit is " + maxPixels);
    }
    ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
    ExifSubIFDDirectory exif = metadata.getFirstDirectoryOfType(ExifSubIFDDirectory.class);
    int orientation = 1;
    if (ifd0 != null && ifd0.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
      Integer value = ifd0.getInteger(ExifIFD0Directory.TAG_ORIENTATION);
      orientation = value != null && value >= 1 && value <= 8 ? value : 1;
    }
    Date taken = exif == null ? null : exif.getDateOriginal(TimeZone.getTimeZone("UTC"));
    return new ImageInfo(
        size[0],
        size[1],
        type.substring("image/".length()),
        orientation,
        taken == null ? null : Instant.ofEpochMilli(taken.getTime()),
        text(ifd0, ExifIFD0Directory.TAG_MAKE),
        text(ifd0, ExifIFD0Directory.TAG_MODEL));
  }

  private static <D extends Directory> int[] size(
      Metadata metadata, Class<D> type, int widthTag, int heightTag) {
    for (D directory : metadata.getDirectoriesOfType(type)) {
      Integer width = directory.getInteger(widthTag);
      Integer height = directory.getInteger(heightTag);
      if (width != null && height != null) {
        return new int[] {width, height};
      }
    }
    return null;
  }

  private static String text(Directory directory, int tag) {
    if (directory == null) {
      return null;
    }
    String value = directory.getString(tag);
    return value == null || value.isBlank() ? null : value.trim();
  }
}
