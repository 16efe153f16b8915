package dev.cirrus.shared.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.cirrus.shared.files.ImageInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of the hostile corpus goes through what process-upload does with an image (headers,
 * then a thumbnail) and ends as its expected verdict, promptly: a rejection is recorded and
 * acknowledged, where an exception would be retried into the dead letters. That none of it needs
 * much memory is proven through the local stack ({@code HostileUploadsTest}), whose function host
 * has a heap as small as a deployed instance's.
 */
class HostileImagesTest {
  @TempDir Path dir;

  private final ImageInspector inspector = new ImageInspector(100_000_000L, 25_000_000L);
  private final Thumbnailer thumbnailer = new Thumbnailer(256, 0.85f);

  static Stream<HostileImages.Case> corpus() {
    return HostileImages.corpus().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void everyHostileFileEndsAsItsVerdict(HostileImages.Case hostile) throws Exception {
    Path file = dir.resolve(hostile.name());
    Files.write(file, hostile.bytes());
    assertThat(
            MagicBytes.detect(hostile.bytes(), Math.min(hostile.bytes().length, MagicBytes.HEAD)))
        .isEqualTo(hostile.contentType());

    Throwable thrown =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () ->
                catchThrowable(
                    () -> {
                      ImageInfo info = inspector.inspect(file, hostile.contentType());
                      thumbnailer.render(file, info);
                    }));

    if (hostile.verdict().isPresent()) {
      assertThat(thrown)
          .isInstanceOfSatisfying(
              Rejection.class, r -> assertThat(r.reason()).isEqualTo(hostile.verdict().get()));
    } else {
      assertThat(thrown).as("a legitimate image whose hostile part is never read").isNull();
    }
  }
}
