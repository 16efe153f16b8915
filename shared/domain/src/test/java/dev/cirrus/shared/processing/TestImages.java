package dev.cirrus.shared.processing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;

/**
 * Test images made on the fly: JPEGs with an EXIF block written here byte by byte (read back by
 * metadata-extractor, which nobody here wrote), so no binary fixture hides what it contains.
 */
public final class TestImages {
  private TestImages() {}

  /** EXIF fields to embed; null leaves a field out. */
  public record Exif(
      int orientation, String make, String model, String dateTimeOriginal, boolean withGps) {}

  /**
   * A {@code width}x{@code height} JPEG whose left half is red and right half blue, so a test can
   * tell which way it was turned.
   */
  public static byte[] jpeg(int width, int height, Exif exif) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, x < width / 2 ? 0xDD2222 : 0x2222DD);
      }
    }
    return withExif(encode(image, "jpeg"), exif);
  }

  /**
   * Like {@link #jpeg} but full of noise, so the file is about as large as a camera's: red-ish on
   * the left, blue-ish on the right.
   */
  public static byte[] noisyJpeg(int width, int height, Exif exif, long seed) {
    java.util.Random random = new java.util.Random(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        boolean left = x < width / 2;
        int red = left ? 0xA0 + random.nextInt(0x60) : random.nextInt(0x40);
        int blue = left ? random.nextInt(0x40) : 0xA0 + random.nextInt(0x60);
        image.setRGB(x, y, red << 16 | random.nextInt(0x100) << 8 | blue);
      }
    }
    return withExif(encode(image, "jpeg"), exif);
  }

  /** Like {@link #noisyJpeg}, coded progressively (libjpeg's scan script, as the JDK writes it). */
  public static byte[] progressiveNoisyJpeg(int width, int height, long seed) {
    java.util.Random random = new java.util.Random(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        javax.imageio.stream.ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
      param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
      writer.setOutput(out);
      writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
  }

  private static byte[] withExif(byte[] plain, Exif exif) {
    if (exif == null) {
      return plain;
    }
    byte[] app1 = app1(exif);
    ByteBuffer out = ByteBuffer.allocate(plain.length + app1.length);
    out.put(plain, 0, 2); // SOI
    out.put(app1);
    out.put(plain, 2, plain.length - 2);
    return out.array();
  }

  public static byte[] png(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, 0xFF00AA00 | (x & 0xFF));
      }
    }
    return encode(image, "png");
  }

  public static byte[] gif(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (x * 7 & 0xFF) << 16 | (y * 5 & 0xFF) << 8);
      }
    }
    return encode(image, "gif");
  }

  /**
   * A valid PNG header that declares {@code width}x{@code height} pixels, followed by nothing that
   * could be decoded: a decompression bomb as far as the headers tell.
   */
  public static byte[] pngDeclaring(int width, int height) {
    byte[] small = png(8, 8);
    ByteBuffer b = ByteBuffer.wrap(small);
    b.putInt(16, width); // IHDR data starts at 16: width, height
    b.putInt(20, height);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(small, 12, 17); // "IHDR" + 13 data bytes
    b.putInt(29, (int) crc.getValue());
    return small;
  }

  private static byte[] encode(BufferedImage image, String format) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ImageIO.write(image, format, bytes);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An APP1 segment: "Exif\0\0" and a big-endian TIFF structure with IFD0, Exif and GPS IFDs. */
  static byte[] app1(Exif exif) {
    // Values of five bytes or more live after the IFD; shorter ones would sit in the entry itself,
    // so they are padded with NULs to keep one layout.
    byte[] make = ascii(exif.make());
    byte[] model = ascii(exif.model());
    byte[] date = ascii(exif.dateTimeOriginal());
    int ifd0Entries = 4 + (exif.withGps() ? 1 : 0);
    int ifd0 = 8;
    int ifd0Data = ifd0 + 2 + 12 * ifd0Entries + 4;
    int makeAt = ifd0Data;
    int modelAt = makeAt + make.length;
    int exifIfd = modelAt + model.length;
    int dateAt = exifIfd + 2 + 12 + 4;
    int gpsIfd = dateAt + date.length;
    int gpsData = gpsIfd + 2 + 12 * 2 + 4;
    int end = exif.withGps() ? gpsData + 24 : gpsIfd;

    ByteBuffer tiff = ByteBuffer.allocate(end);
    tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(ifd0);
    tiff.position(ifd0);
    tiff.putShort((short) ifd0Entries);
    entry(tiff, 0x010F, 2, make.length, makeAt);
    entry(tiff, 0x0110, 2, model.length, modelAt);
    tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1);
    tiff.putShort((short) exif.orientation()).putShort((short) 0);
    entry(tiff, 0x8769, 4, 1, exifIfd);
    if (exif.withGps()) {
      entry(tiff, 0x8825, 4, 1, gpsIfd);
    }
    tiff.putInt(0);
    tiff.position(makeAt);
    tiff.put(make).put(model);
    tiff.position(exifIfd);
    tiff.putShort((short) 1);
    entry(tiff, 0x9003, 2, date.length, dateAt);
    tiff.putInt(0);
    tiff.put(date);
    if (exif.withGps()) {
      tiff.position(gpsIfd);
      tiff.putShort((short) 2);
      tiff.putShort((short) 0x0001).putShort((short) 2).putInt(2).put((byte) 'N').put((byte) 0);
      tiff.putShort((short) 0);
      entry(tiff, 0x0002, 5, 3, gpsData);
      tiff.putInt(0);
      tiff.position(gpsData);
      tiff.putInt(48).putInt(1).putInt(8).putInt(1).putInt(30).putInt(1);
    }
    byte[] header = "Exif\0\0".getBytes(StandardCharsets.US_ASCII);
    int length = 2 + header.length + end;
    ByteBuffer segment = ByteBuffer.allocate(2 + length);
    segment.put((byte) 0xFF).put((byte) 0xE1).putShort((short) length);
    segment.put(header).put(tiff.array());
    return segment.array();
  }

  private static void entry(ByteBuffer tiff, int tag, int type, int count, int offset) {
    tiff.putShort((short) tag).putShort((short) type).putInt(count).putInt(offset);
  }

  private static byte[] ascii(String value) {
    byte[] bytes = (value + "\0").getBytes(StandardCharsets.US_ASCII);
    return bytes.length > 4 ? bytes : java.util.Arrays.copyOf(bytes, 5);
  }
}
