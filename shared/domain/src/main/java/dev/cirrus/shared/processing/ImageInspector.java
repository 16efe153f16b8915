package dev.cirrus.shared.processing;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.lang.ByteArrayReader;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.heif.HeifDirectory;
import dev.cirrus.shared.files.ImageInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.TimeZone;

/**
 * Reads what an image declares about itself (dimensions, EXIF) from its headers only, so the pixel
 * limits are enforced before a single pixel is decoded, and before any metadata library sees the
 * file: {@link ImageHeaders} walks the structure without inflating anything, and only the EXIF
 * block it found (at most 64 KiB) is parsed. HEIC, which is described but never decoded, is read by
 * metadata-extractor from a bounded prefix.
 */
public final class ImageInspector {
  /** HEIC keeps its metadata at the front; nothing past this is read. */
  private static final int HEIC_PREFIX = 4 * 1024 * 1024;

  private final long maxPixels;
  private final long maxProgressivePixels;

  /**
   * @param maxPixels the most pixels an image may have
   * @param maxProgressivePixels the most a progressive JPEG may have: libjpeg keeps its DCT
   *     coefficients for the whole image (about 2 bytes per pixel and component) however little of
   *     it is decoded, where a baseline JPEG is decoded a few rows at a time
   */
  public ImageInspector(long maxPixels, long maxProgressivePixels) {
    this.maxPixels = maxPixels;
    this.maxProgressivePixels = maxProgressivePixels;
  }

  /**
   * @param type the sniffed media type, one of the image types
   * @throws Rejection when the headers cannot be read or declare too many pixels
   */
  public ImageInfo inspect(Path file, String type) {
    Optional<ImageHeaders> headers;
    try {
      headers = ImageHeaders.read(file, type);
    } catch (ImageHeaders.Malformed e) {
      throw new Rejection(
          Rejection.IMAGE_UNREADABLE, "cannot read the image headers: " + e.getMessage());
    }
    Metadata metadata = new Metadata();
    int width;
    int height;
    if (headers.isPresent()) {
      width = headers.get().width();
      height = headers.get().height();
      headers.get().exif().ifPresent(exif -> readExif(exif, metadata));
    } else {
      int[] size = heicSize(file, metadata);
      width = size[0];
      height = size[1];
    }
    if (width <= 0 || height <= 0) {
      throw new Rejection(Rejection.IMAGE_UNREADABLE, "the image does not declare its dimensions");
    }
    long pixels = (long) width * height;
    if (pixels > maxPixels) {
      throw new Rejection(
          Rejection.IMAGE_TOO_LARGE,
          width + "x" + height + " is " + pixels + " pixels; the limit is " + maxPixels);
    }
    if (headers.isPresent() && headers.get().progressive() && pixels > maxProgressivePixels) {
      throw new Rejection(
          Rejection.IMAGE_TOO_LARGE,
          "a progressive JPEG of "
              + pixels
              + " pixels; progressive JPEGs may have at most "
              + maxProgressivePixels);
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
        width,
        height,
        type.substring("image/".length()),
        orientation,
        taken == null ? null : Instant.ofEpochMilli(taken.getTime()),
        text(ifd0, ExifIFD0Directory.TAG_MAKE),
        text(ifd0, ExifIFD0Directory.TAG_MODEL));
  }

  /** EXIF is a description, not the image: a broken block leaves the image without one. */
  private static void readExif(byte[] tiff, Metadata metadata) {
    try {
      new ExifReader().extract(new ByteArrayReader(tiff), metadata, 0);
    } catch (RuntimeException e) {
      // ignored on purpose: orientation 1, no capture time, no camera
    }
  }

  private static int[] heicSize(Path file, Metadata into) {
    Metadata metadata;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] prefix = in.readNBytes(HEIC_PREFIX);
      metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(prefix), prefix.length);
    } catch (ImageProcessingException | IOException | RuntimeException e) {
      throw new Rejection(
          Rejection.IMAGE_UNREADABLE, "cannot read the image headers: " + e.getMessage());
    }
    metadata.getDirectories().forEach(d -> into.addDirectory(d));
    for (HeifDirectory directory : metadata.getDirectoriesOfType(HeifDirectory.class)) {
      Integer width = directory.getInteger(HeifDirectory.TAG_IMAGE_WIDTH);
      Integer height = directory.getInteger(HeifDirectory.TAG_IMAGE_HEIGHT);
      if (width != null && height != null) {
        return new int[] {width, height};
      }
    }
    return new int[] {0, 0};
  }

  private static String text(Directory directory, int tag) {
    if (directory == null) {
      return null;
    }
    String value = directory.getString(tag);
    return value == null || value.isBlank() ? null : value.trim();
  }
}
