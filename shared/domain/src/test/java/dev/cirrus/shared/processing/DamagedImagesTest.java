package dev.cirrus.shared.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.shared.files.ImageInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged images of every decodable type, cut short or with bytes flipped, must end as a permanent
 * rejection (or, where the damage spared what matters, as a thumbnail): any other exception would
 * make process-upload ask for the event again, and the upload would be retried until it lands in
 * the dead letters instead of being rejected.
 */
class DamagedImagesTest {
  private static final int MUTANTS = 150;
  private static final Set<String> VERDICTS =
      Set.of(Rejection.IMAGE_UNREADABLE, Rejection.IMAGE_TOO_LARGE);

  @TempDir Path dir;

  private final ImageInspector inspector = new ImageInspector(100_000_000L, 25_000_000L);
  private final Thumbnailer thumbnailer = new Thumbnailer(256, 0.85f);

  static Stream<Arguments> images() throws Exception {
    byte[] webp;
    try (var in =
        DamagedImagesTest.class.getResourceAsStream("/images/red-left-blue-right-300x200.webp")) {
      webp = in.readAllBytes();
    }
    return Stream.of(
        Arguments.of(
            "image/jpeg",
            TestImages.noisyJpeg(
                600, 400, new TestImages.Exif(6, "Make", "Model", "2024:01:01 00:00:00", true), 7)),
        // Large enough to be decoded at 1/8 scale by EighthScaleJpegDecoder, not by ImageIO.
        Arguments.of(
            "image/jpeg",
            TestImages.noisyJpeg(
                2100, 1400, new TestImages.Exif(1, "Make", "Model", null, false), 11)),
        Arguments.of("image/jpeg", TestImages.progressiveNoisyJpeg(2100, 1400, 13)),
        Arguments.of("image/png", TestImages.png(300, 200)),
        Arguments.of("image/gif", TestImages.gif(300, 200)),
        Arguments.of("image/webp", webp));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("images")
  void damagedImagesAreRejectedOrThumbnailedNeverThrowOtherwise(String type, byte[] intact)
      throws Exception {
    Random random = new Random(type.hashCode());
    List<String> escaped = new ArrayList<>();
    int rejected = 0;
    for (int i = 0; i < MUTANTS; i++) {
      byte[] damaged = damage(intact, random, i);
      Path file = dir.resolve("mutant-" + i);
      Files.write(file, damaged);
      try {
        ImageInfo info = inspector.inspect(file, type);
        Thumbnailer.Rendered thumb = thumbnailer.render(file, info);
        assertThat(Math.max(thumb.width(), thumb.height())).isBetween(1, 256);
      } catch (Rejection rejection) {
        assertThat(rejection.reason()).isIn(VERDICTS);
        rejected++;
      } catch (Throwable other) {
        escaped.add("mutant " + i + " (" + describe(intact, damaged) + "): " + other);
      }
    }
    assertThat(escaped).as("exceptions that would mean a retry loop").isEmpty();
    // The damage is real: most mutants must fail, or this test checks nothing.
    assertThat(rejected).isGreaterThan(MUTANTS / 4);
  }

  /** Cuts the file short, flips bytes in the headers, or flips bytes anywhere, in turn. */
  private static byte[] damage(byte[] intact, Random random, int i) {
    byte[] bytes = intact.clone();
    switch (i % 3) {
      case 0 -> {
        return Arrays.copyOf(bytes, 8 + random.nextInt(bytes.length - 8));
      }
      case 1 -> {
        int head = Math.min(bytes.length, 400);
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
          bytes[8 + random.nextInt(head - 8)] ^= (byte) (1 + random.nextInt(255));
        }
      }
      default -> {
        for (int n = 1 + random.nextInt(16); n > 0; n--) {
          bytes[8 + random.nextInt(bytes.length - 8)] = (byte) random.nextInt(256);
        }
      }
    }
    return bytes;
  }

  private static String describe(byte[] intact, byte[] damaged) {
    if (damaged.length != intact.length) {
      return "cut to " + damaged.length + " of " + intact.length + " bytes";
    }
    List<Integer> changed = new ArrayList<>();
    for (int i = 0; i < intact.length; i++) {
      if (intact[i] != damaged[i]) {
        changed.add(i);
      }
    }
    return "bytes changed at " + changed;
  }
}
