package dev.cirrus.shared.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.files.ImageInfo;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageProcessingTest {
  @TempDir Path dir;

  private final ImageInspector inspector = new ImageInspector(100_000_000L, 25_000_000L);
  private final Thumbnailer thumbnailer = new Thumbnailer(256, 0.85f);

  private Path write(byte[] bytes) throws Exception {
    Path file = Files.createTempFile(dir, "img", ".bin");
    Files.write(file, bytes);
    return file;
  }

  @Test
  void exifOrientationCaptureTimeAndCameraAreReadButGpsIsNot() throws Exception {
    Path photo =
        write(
            TestImages.jpeg(
                640,
                480,
                new TestImages.Exif(6, "Pixelmaker", "Phone 9 Pro", "2024:05:06 07:08:09", true)));

    ImageInfo info = inspector.inspect(photo, "image/jpeg");

    assertThat(info.width()).isEqualTo(640);
    assertThat(info.height()).isEqualTo(480);
    assertThat(info.format()).isEqualTo("jpeg");
    assertThat(info.orientation()).isEqualTo(6);
    assertThat(info.takenAt()).isEqualTo(Instant.parse("2024-05-06T07:08:09Z"));
    assertThat(info.cameraMake()).isEqualTo("Pixelmaker");
    assertThat(info.cameraModel()).isEqualTo("Phone 9 Pro");
    assertThat(ImageInfo.class.getRecordComponents())
        .extracting(c -> c.getName().toLowerCase())
        .noneMatch(name -> name.contains("gps") || name.contains("latitude"));
  }

  @Test
  void thumbnailOfARotatedPhotoIsUprightAndAtMost256() throws Exception {
    // Stored landscape 800x400 (red left, blue right) with orientation 6: displayed portrait,
    // rotated 90 degrees clockwise, so red ends up on top.
    Path photo =
        write(
            TestImages.jpeg(
                800, 400, new TestImages.Exif(6, "Make", "Model", "2024:01:01 00:00:00", false)));
    ImageInfo info = inspector.inspect(photo, "image/jpeg");

    Thumbnailer.Rendered thumb = thumbnailer.render(photo, info);

    assertThat(thumb.width()).isEqualTo(128);
    assertThat(thumb.height()).isEqualTo(256);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(thumb.jpeg()));
    assertThat(image.getWidth()).isEqualTo(128);
    assertThat(image.getHeight()).isEqualTo(256);
    assertThat(red(image.getRGB(64, 20))).isGreaterThan(150);
    assertThat(blue(image.getRGB(64, 236))).isGreaterThan(150);
  }

  @Test
  void thumbnailOfALargeRotatedPhotoIsDecodedAtAnEighthAndUpright() throws Exception {
    // 2400 px: eight times the thumbnail and more, so decoded in the DCT at 1/8 scale.
    Path photo =
        write(
            TestImages.noisyJpeg(
                2400, 1200, new TestImages.Exif(6, "Make", "Model", null, false), 3));
    ImageInfo info = inspector.inspect(photo, "image/jpeg");

    Thumbnailer.Rendered thumb = thumbnailer.render(photo, info);

    assertThat(thumb.width()).isEqualTo(128);
    assertThat(thumb.height()).isEqualTo(256);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(thumb.jpeg()));
    assertThat(red(image.getRGB(64, 20))).isGreaterThan(150);
    assertThat(blue(image.getRGB(64, 20))).isLessThan(100);
    assertThat(blue(image.getRGB(64, 236))).isGreaterThan(150);
    assertThat(red(image.getRGB(64, 236))).isLessThan(100);
  }

  @Test
  void thumbnailWithoutOrientationKeepsTheLayout() throws Exception {
    Path photo = write(TestImages.jpeg(1000, 500, null));
    ImageInfo info = inspector.inspect(photo, "image/jpeg");

    Thumbnailer.Rendered thumb = thumbnailer.render(photo, info);

    assertThat(info.orientation()).isEqualTo(1);
    assertThat(thumb.width()).isEqualTo(256);
    assertThat(thumb.height()).isEqualTo(128);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(thumb.jpeg()));
    assertThat(red(image.getRGB(20, 64))).isGreaterThan(150);
    assertThat(blue(image.getRGB(236, 64))).isGreaterThan(150);
  }

  @Test
  void pngWithTransparencyBecomesAJpegThumbnail() throws Exception {
    Path png = write(TestImages.png(300, 600));
    ImageInfo info = inspector.inspect(png, "image/png");

    Thumbnailer.Rendered thumb = thumbnailer.render(png, info);

    assertThat(info.width()).isEqualTo(300);
    assertThat(thumb.height()).isEqualTo(256);
    assertThat(thumb.width()).isEqualTo(128);
    assertThat(thumb.jpeg()).startsWith(0xFF, 0xD8, 0xFF);
  }

  @Test
  void webpGetsItsDimensionsAndAThumbnail() throws Exception {
    // Made once with ImageMagick: 300x200, red left half, blue right half.
    Path webp = Files.createTempFile(dir, "img", ".webp");
    try (var in = getClass().getResourceAsStream("/images/red-left-blue-right-300x200.webp")) {
      Files.write(webp, in.readAllBytes());
    }
    ImageInfo info = inspector.inspect(webp, "image/webp");

    Thumbnailer.Rendered thumb = thumbnailer.render(webp, info);

    assertThat(info.width()).isEqualTo(300);
    assertThat(info.height()).isEqualTo(200);
    assertThat(thumb.width()).isEqualTo(256);
    assertThat(thumb.height()).isEqualTo(171);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(thumb.jpeg()));
    assertThat(red(image.getRGB(20, 85))).isGreaterThan(150);
    assertThat(blue(image.getRGB(236, 85))).isGreaterThan(150);
  }

  @Test
  void imageDeclaringTooManyPixelsIsRejectedBeforeDecoding() throws Exception {
    Path bomb = write(TestImages.pngDeclaring(60_000, 60_000));

    assertThatThrownBy(() -> inspector.inspect(bomb, "image/png"))
        .isInstanceOfSatisfying(
            Rejection.class, r -> assertThat(r.reason()).isEqualTo(Rejection.IMAGE_TOO_LARGE));
  }

  @Test
  void truncatedJpegIsRejectedAsUnreadable() throws Exception {
    byte[] whole = TestImages.jpeg(600, 400, null);
    Path truncated = write(Arrays.copyOf(whole, whole.length / 2));
    ImageInfo info = inspector.inspect(truncated, "image/jpeg");

    assertThatThrownBy(() -> thumbnailer.render(truncated, info))
        .isInstanceOfSatisfying(
            Rejection.class, r -> assertThat(r.reason()).isEqualTo(Rejection.IMAGE_UNREADABLE));
  }

  @Test
  void garbageAfterAJpegMagicIsRejectedAsUnreadable() throws Exception {
    Path fake = write(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3, 4, 5});

    assertThatThrownBy(() -> inspector.inspect(fake, "image/jpeg"))
        .isInstanceOfSatisfying(
            Rejection.class, r -> assertThat(r.reason()).isEqualTo(Rejection.IMAGE_UNREADABLE));
  }

  private static int red(int rgb) {
    return (rgb >> 16) & 0xFF;
  }

  private static int blue(int rgb) {
    return rgb & 0xFF;
  }
}
