package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.local.emulators.ProjectLayout;
import dev.cirrus.shared.processing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The web app (web/) in Debian's chromium against the running stack, as a user meets it: the
 * journey itself is web/tests/journey.mjs (Playwright); this starts it with the stack's address and
 * the files to upload, and keeps its screenshots in target/web-screenshots.
 */
@ExtendWith(RunningStack.class)
class WebAppJourneyTest {
  private static LocalStack stack;
  private static Path web;

  @BeforeAll
  static void connect(RunningStack.Handle handle) {
    stack = handle.stack();
    web = ProjectLayout.locate().root().resolve("web");
    assertThat(web.resolve("dist/index.html"))
        .as("the web app is built by local/test (npm run build in web/)")
        .isRegularFile();
    assertThat(Path.of("/usr/bin/chromium"))
        .as("Debian's chromium: local/test installs it")
        .isExecutable();
  }

  @Test
  void aUserSignsUpUploadsPhotosSeesThumbnailsAndARefusalInWordsAndSignsOut() throws Exception {
    assertThat(stack.endpoints().webUrl()).as("the stack serves the app").startsWith("http://");
    Path files = Files.createTempDirectory("web-files");
    Files.write(files.resolve("a.jpg"), TestImages.jpeg(640, 480, null));
    Files.write(files.resolve("b.jpg"), TestImages.jpeg(480, 640, null));
    // Named and declared as a photo, but text: the pipeline refuses it (type-mismatch).
    Files.writeString(files.resolve("fake.jpg"), "not a photo at all", StandardCharsets.UTF_8);
    Path shots = Path.of("target/web-screenshots").toAbsolutePath();
    Path log = Files.createTempFile("web-journey", ".log");
    ProcessBuilder builder =
        new ProcessBuilder("node", "tests/journey.mjs")
            .directory(web.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("CIRRUS_WEB_URL", stack.endpoints().webUrl());
    env.put("CIRRUS_FILES", files.toString());
    env.put("CIRRUS_SCREENSHOTS", shots.toString());
    Process process = builder.start();
    boolean finished = process.waitFor(180, TimeUnit.SECONDS);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    if (!finished) {
      process.destroyForcibly();
    }
    assertThat(finished).as(output).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("journey passed");
    assertThat(shots.resolve("04-gallery.png")).isRegularFile();
  }
}
