package dev.cirrus.shared.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Node;

/**
 * The 1/8-scale decoder against the JDK's full decoder (libjpeg) on the same files: each pixel it
 * gives must be the mean of the 8x8 block the JDK decodes, for every layout it claims to handle.
 */
class EighthScaleJpegDecoderTest {
  @TempDir Path dir;

  @Test
  void colourPhotoDecodesToTheMeanOfEachBlock() throws Exception {
    // Odd dimensions: the last blocks are partly padding, and 4:2:0 chroma covers 16x16 pixels.
    byte[] jpeg = encode(photo(2051, 1533, BufferedImage.TYPE_INT_RGB), Layout.DEFAULT);

    BufferedImage scaled = decode(jpeg, 2051, 1533).orElseThrow();

    assertThat(scaled.getWidth()).isEqualTo(257);
    assertThat(scaled.getHeight()).isEqualTo(192);
    assertMeansOfBlocks(scaled, ImageIO.read(new java.io.ByteArrayInputStream(jpeg)));
  }

  @Test
  void photoWithFullResolutionChromaDecodesToTheMeanOfEachBlock() throws Exception {
    byte[] jpeg = encode(photo(1024, 768, BufferedImage.TYPE_INT_RGB), Layout.CHROMA_444);

    BufferedImage scaled = decode(jpeg, 1024, 768).orElseThrow();

    assertMeansOfBlocks(scaled, ImageIO.read(new java.io.ByteArrayInputStream(jpeg)));
  }

  @Test
  void greyPhotoDecodesToTheMeanOfEachBlock() throws Exception {
    byte[] jpeg = encode(photo(1000, 600, BufferedImage.TYPE_BYTE_GRAY), Layout.DEFAULT);

    BufferedImage scaled = decode(jpeg, 1000, 600).orElseThrow();

    assertMeansOfBlocks(scaled, ImageIO.read(new java.io.ByteArrayInputStream(jpeg)));
  }

  @Test
  void restartMarkersChangeNothingInTheResult() throws Exception {
    BufferedImage photo = photo(1200, 800, BufferedImage.TYPE_INT_RGB);
    byte[] plain = encode(photo, Layout.DEFAULT);
    byte[] withRestarts = encode(photo, Layout.RESTART_EVERY_7);
    assertThat(indexOf(withRestarts, (byte) 0xD7)).as("the encoder wrote RST7").isPositive();

    BufferedImage a = decode(plain, 1200, 800).orElseThrow();
    BufferedImage b = decode(withRestarts, 1200, 800).orElseThrow();

    assertThat(pixels(b)).isEqualTo(pixels(a));
  }

  @Test
  void progressiveJpegDecodesToTheMeanOfEachBlockFromItsDcScansAlone() throws Exception {
    // The JDK writes libjpeg's progression: DC at half precision, AC scans, then a DC refinement.
    byte[] jpeg = encode(photo(1601, 1203, BufferedImage.TYPE_INT_RGB), Layout.PROGRESSIVE);
    assertThat(indexOf(jpeg, (byte) 0xC2)).as("the encoder wrote SOF2").isPositive();

    BufferedImage scaled = decode(jpeg, 1601, 1203).orElseThrow();

    assertMeansOfBlocks(scaled, ImageIO.read(new java.io.ByteArrayInputStream(jpeg)));
  }

  @Test
  void progressiveAndSequentialCodingsOfOnePhotoDecodeAlike() throws Exception {
    // Same quantized coefficients, sent in another order: the DC refinement bits must be applied
    // for the two to agree to the last pixel.
    BufferedImage photo = photo(1100, 900, BufferedImage.TYPE_INT_RGB);

    BufferedImage sequential = decode(encode(photo, Layout.DEFAULT), 1100, 900).orElseThrow();
    BufferedImage progressive = decode(encode(photo, Layout.PROGRESSIVE), 1100, 900).orElseThrow();

    assertThat(pixels(progressive)).isEqualTo(pixels(sequential));
  }

  @Test
  void progressiveGreyPhotoDecodesToTheMeanOfEachBlock() throws Exception {
    byte[] jpeg = encode(photo(900, 700, BufferedImage.TYPE_BYTE_GRAY), Layout.PROGRESSIVE);

    BufferedImage scaled = decode(jpeg, 900, 700).orElseThrow();

    assertMeansOfBlocks(scaled, ImageIO.read(new java.io.ByteArrayInputStream(jpeg)));
  }

  @Test
  void progressiveJpegCutShortIsRejectedAsUnreadable() throws Exception {
    byte[] whole = encode(photo(1200, 800, BufferedImage.TYPE_INT_RGB), Layout.PROGRESSIVE);

    // Cut inside the AC scans: the DC is all there, but the file never ends.
    assertUnreadable(Arrays.copyOf(whole, whole.length * 2 / 3), 1200, 800);
  }

  @Test
  void losslessJpegIsLeftToTheOtherDecoder() throws Exception {
    byte[] jpeg = encode(photo(800, 600, BufferedImage.TYPE_INT_RGB), Layout.DEFAULT);
    jpeg[indexOf(jpeg, (byte) 0xC0)] = (byte) 0xC3;

    assertThat(decode(jpeg, 800, 600)).isEmpty();
  }

  @Test
  void jpegCutShortIsRejectedAsUnreadable() throws Exception {
    byte[] whole = encode(photo(1200, 800, BufferedImage.TYPE_INT_RGB), Layout.DEFAULT);

    assertUnreadable(Arrays.copyOf(whole, whole.length * 2 / 3), 1200, 800);
  }

  @Test
  void restartMarkerOutOfSequenceIsRejectedAsUnreadable() throws Exception {
    byte[] jpeg = encode(photo(1200, 800, BufferedImage.TYPE_INT_RGB), Layout.RESTART_EVERY_7);
    int rst2 = indexOf(jpeg, (byte) 0xD2);
    jpeg[rst2] = (byte) 0xD5;

    assertUnreadable(jpeg, 1200, 800);
  }

  @Test
  void frameOfOtherDimensionsThanInspectedIsRejected() throws Exception {
    byte[] jpeg = encode(photo(640, 480, BufferedImage.TYPE_INT_RGB), Layout.DEFAULT);

    assertUnreadable(jpeg, 64_000, 48_000);
  }

  private void assertUnreadable(byte[] jpeg, int width, int height) {
    assertThatThrownBy(() -> decode(jpeg, width, height))
        .isInstanceOfSatisfying(
            Rejection.class, r -> assertThat(r.reason()).isEqualTo(Rejection.IMAGE_UNREADABLE));
  }

  /**
   * Every pixel within a few levels of its block's mean in the full decode. The bound leaves room
   * for chroma: libjpeg interpolates it between 16x16 blocks, the DC is its mean over the block.
   */
  private static void assertMeansOfBlocks(BufferedImage scaled, BufferedImage full) {
    long total = 0;
    int worst = 0;
    for (int by = 0; by < scaled.getHeight(); by++) {
      for (int bx = 0; bx < scaled.getWidth(); bx++) {
        int[] mean = new int[3];
        int count = 0;
        for (int y = by * 8; y < Math.min(by * 8 + 8, full.getHeight()); y++) {
          for (int x = bx * 8; x < Math.min(bx * 8 + 8, full.getWidth()); x++) {
            int rgb = rgb(full, x, y);
            mean[0] += rgb >> 16 & 0xFF;
            mean[1] += rgb >> 8 & 0xFF;
            mean[2] += rgb & 0xFF;
            count++;
          }
        }
        int rgb = scaled.getRGB(bx, by);
        int[] got = {rgb >> 16 & 0xFF, rgb >> 8 & 0xFF, rgb & 0xFF};
        for (int c = 0; c < 3; c++) {
          int difference = Math.abs(got[c] - Math.round(mean[c] / (float) count));
          total += difference;
          worst = Math.max(worst, difference);
        }
      }
    }
    double average = total / (3.0 * scaled.getWidth() * scaled.getHeight());
    assertThat(average).as("mean difference per channel").isLessThan(2.0);
    assertThat(worst).as("largest difference").isLessThan(24);
  }

  /**
   * A grey JPEG's samples are display values, as libjpeg and libvips give them in RGB; Java2D's
   * getRGB would read them as linear grey and brighten them.
   */
  private static int rgb(BufferedImage image, int x, int y) {
    if (image.getType() != BufferedImage.TYPE_BYTE_GRAY) {
      return image.getRGB(x, y);
    }
    int grey = image.getRaster().getSample(x, y, 0);
    return grey << 16 | grey << 8 | grey;
  }

  private Optional<BufferedImage> decode(byte[] jpeg, int width, int height) throws Exception {
    Path file = Files.createTempFile(dir, "photo", ".jpg");
    Files.write(file, jpeg);
    return EighthScaleJpegDecoder.decode(file, width, height);
  }

  /** Smooth colour gradients with sensor-like noise: red-ish left, blue-ish right. */
  private static BufferedImage photo(int width, int height, int type) {
    Random random = new Random(width * 31L + height);
    BufferedImage image = new BufferedImage(width, height, type);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int noise = random.nextInt(24);
        int red = x < width / 2 ? 200 - x * 100 / width + noise : 40 + noise;
        int green = y * 180 / height + noise;
        int blue = x < width / 2 ? 30 + noise : 120 + x * 100 / width + noise;
        image.setRGB(
            x, y, Math.min(red, 255) << 16 | Math.min(green, 255) << 8 | Math.min(blue, 255));
      }
    }
    return image;
  }

  private enum Layout {
    DEFAULT,
    CHROMA_444,
    RESTART_EVERY_7,
    PROGRESSIVE
  }

  private static byte[] encode(BufferedImage image, Layout layout) throws Exception {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(0.9f);
    if (layout == Layout.PROGRESSIVE) {
      param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
    }
    IIOMetadata metadata =
        writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
    String format = "javax_imageio_jpeg_image_1.0";
    IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
    IIOMetadataNode markers = (IIOMetadataNode) root.getElementsByTagName("markerSequence").item(0);
    if (layout == Layout.CHROMA_444) {
      var specs = root.getElementsByTagName("componentSpec");
      for (int i = 0; i < specs.getLength(); i++) {
        ((IIOMetadataNode) specs.item(i)).setAttribute("HsamplingFactor", "1");
        ((IIOMetadataNode) specs.item(i)).setAttribute("VsamplingFactor", "1");
      }
    }
    if (layout == Layout.RESTART_EVERY_7) {
      IIOMetadataNode dri = new IIOMetadataNode("dri");
      dri.setAttribute("interval", "7");
      Node sos = markers.getElementsByTagName("sos").item(0);
      markers.insertBefore(dri, sos);
    }
    metadata.setFromTree(format, root);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, metadata), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** The offset of the first marker FF {@code code} in the file, or -1. */
  private static int indexOf(byte[] jpeg, byte code) {
    for (int i = 1; i < jpeg.length; i++) {
      if (jpeg[i - 1] == (byte) 0xFF && jpeg[i] == code) {
        return i;
      }
    }
    return -1;
  }

  private static int[] pixels(BufferedImage image) {
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }
}
