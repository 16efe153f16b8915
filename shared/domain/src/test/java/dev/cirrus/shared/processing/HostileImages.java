package dev.cirrus.shared.processing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Files built to exhaust a decoder's memory or time, generated here rather than stored: each is a
 * small file that declares or inflates into something huge, or whose structure loops or ends early.
 * {@link #corpus()} says what each must come to.
 */
public final class HostileImages {
  private HostileImages() {}

  /**
   * One hostile file.
   *
   * @param verdict the rejection reason it must end with, or empty where the pixels are legitimate
   *     and it may become a file (its hostile part must simply never be inflated)
   */
  public record Case(String name, String contentType, byte[] bytes, Optional<String> verdict) {
    @Override
    public String toString() {
      return name + " (" + bytes.length + " bytes)";
    }
  }

  public static List<Case> corpus() {
    List<Case> cases = new ArrayList<>();
    String tooLarge = Rejection.IMAGE_TOO_LARGE;
    String unreadable = Rejection.IMAGE_UNREADABLE;
    // Compressed metadata that inflates about 1000:1, 2 MB of it: 2 GB once inflated.
    cases.add(hostile("png-ztxt-bomb", "image/png", pngWith("zTXt", 40), unreadable));
    cases.add(hostile("png-itxt-bomb", "image/png", pngWith("iTXt", 40), unreadable));
    cases.add(hostile("png-iccp-bomb", "image/png", pngWith("iCCP", 40), unreadable));
    // Headers that declare more pixels than any decoder should allocate for.
    cases.add(
        hostile("png-65535-squared", "image/png", TestImages.pngDeclaring(65535, 65535), tooLarge));
    cases.add(
        hostile("jpeg-65535-squared", "image/jpeg", jpegDeclaring(0xC0, 65535, 65535), tooLarge));
    cases.add(hostile("gif-65535-squared", "image/gif", gif(65535, 65535, 16, 16), tooLarge));
    cases.add(hostile("webp-16384-squared", "image/webp", webpDeclaring(16384, 16384), tooLarge));
    cases.add(
        hostile(
            "gif-frame-larger-than-screen", "image/gif", gif(16, 16, 40_000, 40_000), tooLarge));
    // Progressive JPEGs are decoded whole: above their own limit they are refused.
    cases.add(
        hostile(
            "jpeg-progressive-at-the-pixel-limit",
            "image/jpeg",
            jpegDeclaring(0xC2, 10_000, 10_000),
            tooLarge));
    cases.add(
        legitimate("jpeg-progressive-within-its-limit", "image/jpeg", progressiveJpeg(2400, 1800)));
    // Structures that end early or never end.
    cases.add(
        hostile(
            "png-truncated-ihdr",
            "image/png",
            Arrays.copyOf(TestImages.png(8, 8), 20),
            unreadable));
    cases.add(
        hostile(
            "png-chunk-longer-than-the-file",
            "image/png",
            pngWithChunkLength(0xFFFFFFF0L),
            unreadable));
    cases.add(
        hostile("jpeg-zero-length-segment", "image/jpeg", jpegWithSegmentLength(0), unreadable));
    cases.add(
        hostile(
            "jpeg-segment-past-the-end", "image/jpeg", jpegWithSegmentLength(0xFFFF), unreadable));
    cases.add(
        hostile("jpeg-endless-segments", "image/jpeg", jpegWithEmptySegments(5000), unreadable));
    cases.add(
        hostile(
            "gif-header-only", "image/gif", Arrays.copyOf(TestImages.gif(8, 8), 13), unreadable));
    cases.add(
        hostile(
            "webp-chunk-past-the-end", "image/webp", webpWithChunkSize(0x7FFFFFF0), unreadable));
    // Metadata built to loop or to be huge, on a legitimate image.
    cases.add(legitimate("jpeg-exif-cyclic-ifds", "image/jpeg", jpegWithCyclicExif()));
    cases.add(hostile("jpeg-huge-icc-profile", "image/jpeg", jpegWithIccSegments(200), unreadable));
    return cases;
  }

  private static Case hostile(String name, String type, byte[] bytes, String verdict) {
    return new Case(name, type, bytes, Optional.of(verdict));
  }

  private static Case legitimate(String name, String type, byte[] bytes) {
    return new Case(name, type, bytes, Optional.empty());
  }

  /** A small valid PNG with {@code count} chunks of {@code kind}, each inflating to 50 MiB. */
  static byte[] pngWith(String kind, int count) {
    byte[] png = TestImages.png(32, 32);
    byte[] inflating = deflatedZeros(50 * 1024 * 1024);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(png, 0, 33); // signature and IHDR
    for (int i = 0; i < count; i++) {
      byte[] keyword = ("k" + i + "\0").getBytes(StandardCharsets.ISO_8859_1);
      ByteArrayOutputStream data = new ByteArrayOutputStream();
      data.writeBytes(keyword);
      switch (kind) {
        case "zTXt", "iCCP" -> data.write(0); // compression method
        case "iTXt" ->
            data.writeBytes(new byte[] {1, 0, 0, 0}); // compressed, method, no lang or key
        default -> throw new IllegalArgumentException(kind);
      }
      data.writeBytes(inflating);
      chunk(out, kind, data.toByteArray());
    }
    out.write(png, 33, png.length - 33);
    return out.toByteArray();
  }

  private static byte[] pngWithChunkLength(long length) {
    byte[] png = TestImages.png(8, 8);
    ByteBuffer b = ByteBuffer.allocate(33 + 8 + 16);
    b.put(png, 0, 33);
    b.putInt((int) length).put("tEXt".getBytes(StandardCharsets.ISO_8859_1));
    return b.array();
  }

  private static void chunk(ByteArrayOutputStream out, String kind, byte[] data) {
    byte[] type = kind.getBytes(StandardCharsets.ISO_8859_1);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(type);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(type);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static byte[] deflatedZeros(int size) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    deflater.setInput(new byte[size]);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    while (!deflater.finished()) {
      out.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    return out.toByteArray();
  }

  /** SOI, a frame header of the given kind declaring {@code width}x{@code height}, and no scan. */
  private static byte[] jpegDeclaring(int sof, int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(2 + 2 + 2 + 15 + 2);
    b.put((byte) 0xFF).put((byte) 0xD8);
    b.put((byte) 0xFF).put((byte) sof).putShort((short) 17);
    b.put((byte) 8).putShort((short) height).putShort((short) width).put((byte) 3);
    for (int c = 1; c <= 3; c++) {
      b.put((byte) c).put((byte) 0x11).put((byte) 0);
    }
    b.put((byte) 0xFF).put((byte) 0xD9);
    return b.array();
  }

  private static byte[] jpegWithSegmentLength(int length) {
    ByteBuffer b = ByteBuffer.allocate(2 + 4 + 16);
    b.put((byte) 0xFF).put((byte) 0xD8);
    b.put((byte) 0xFF).put((byte) 0xE5).putShort((short) length);
    return b.array();
  }

  private static byte[] jpegWithEmptySegments(int count) {
    byte[] image = TestImages.jpeg(16, 16, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(image, 0, 2);
    for (int i = 0; i < count; i++) {
      out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE6, 0, 2});
    }
    out.write(image, 2, image.length - 2);
    return out.toByteArray();
  }

  /** A valid JPEG behind {@code count} APP2 ICC_PROFILE segments of 64 KiB each. */
  private static byte[] jpegWithIccSegments(int count) {
    byte[] image = TestImages.jpeg(64, 48, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(image, 0, 2);
    byte[] body = new byte[65533 - 14];
    for (int i = 0; i < count; i++) {
      out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE2, (byte) 0xFF, (byte) 0xFF});
      out.writeBytes("ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1));
      out.write(i + 1);
      out.write(Math.min(count, 255));
      out.writeBytes(body);
    }
    out.write(image, 2, image.length - 2);
    return out.toByteArray();
  }

  /** A valid JPEG whose EXIF IFD0 points to itself, and whose Exif sub-IFD points back to IFD0. */
  private static byte[] jpegWithCyclicExif() {
    byte[] image = TestImages.jpeg(64, 48, null);
    ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 * 2 + 4);
    tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
    tiff.putShort((short) 2);
    tiff.putShort((short) 0x0112)
        .putShort((short) 3)
        .putInt(1)
        .putShort((short) 6)
        .putShort((short) 0);
    tiff.putShort((short) 0x8769).putShort((short) 4).putInt(1).putInt(8); // Exif IFD = IFD0
    tiff.putInt(8); // next IFD = itself
    byte[] header = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    int length = 2 + header.length + tiff.capacity();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(image, 0, 2);
    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (length >> 8), (byte) length});
    out.writeBytes(header);
    out.writeBytes(tiff.array());
    out.write(image, 2, image.length - 2);
    return out.toByteArray();
  }

  /** A GIF whose logical screen and first frame have the given sizes, with one byte of image. */
  private static byte[] gif(int screenWidth, int screenHeight, int frameWidth, int frameHeight) {
    ByteBuffer b = ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put("GIF89a".getBytes(StandardCharsets.ISO_8859_1));
    b.putShort((short) screenWidth).putShort((short) screenHeight);
    b.put((byte) 0x80).put((byte) 0).put((byte) 0); // global colour table of 2 entries
    b.put(new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
    b.put((byte) 0x2C).putShort((short) 0).putShort((short) 0);
    b.putShort((short) frameWidth).putShort((short) frameHeight).put((byte) 0);
    b.put((byte) 2).put((byte) 2).put((byte) 0x4C).put((byte) 0x01).put((byte) 0);
    b.put((byte) 0x3B);
    return Arrays.copyOf(b.array(), b.position());
  }

  private static byte[] webpDeclaring(int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(30).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.ISO_8859_1)).putInt(22);
    b.put("WEBP".getBytes(StandardCharsets.ISO_8859_1));
    b.put("VP8X".getBytes(StandardCharsets.ISO_8859_1)).putInt(10);
    b.putInt(0);
    b.put((byte) (width - 1)).put((byte) ((width - 1) >> 8)).put((byte) ((width - 1) >> 16));
    b.put((byte) (height - 1)).put((byte) ((height - 1) >> 8)).put((byte) ((height - 1) >> 16));
    return b.array();
  }

  private static byte[] webpWithChunkSize(int size) {
    ByteBuffer b = ByteBuffer.allocate(40).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.ISO_8859_1)).putInt(32);
    b.put("WEBP".getBytes(StandardCharsets.ISO_8859_1));
    b.put("ICCP".getBytes(StandardCharsets.ISO_8859_1)).putInt(size);
    return b.array();
  }

  /** A real progressive JPEG, noisy enough that its scans carry data. */
  static byte[] progressiveJpeg(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    java.util.Random random = new java.util.Random(7);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (x * 255 / width) << 16 | random.nextInt(64) << 8 | (y * 255 / height));
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
