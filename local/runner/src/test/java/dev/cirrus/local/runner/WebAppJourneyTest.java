package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.local.emulators.ProjectLayout;
import dev.cirrus.shared.processing.TestImages;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The web app (web/) in Debian's chromium against the running stack, as a user meets it. The
 * journeys themselves are Playwright scripts in web/tests; this starts them with the stack's
 * address and the files to upload, and keeps their screenshots in target/web-screenshots.
 */
@ExtendWith(RunningStack.class)
class WebAppJourneyTest {
  private static LocalStack stack;
  private static Path functionsLog;
  private static Path web;
  private static Path files;

  @BeforeAll
  static void connect(RunningStack.Handle handle) throws IOException {
    stack = handle.stack();
    functionsLog = handle.state().resolve("functions").resolve("functions.log");
    web = ProjectLayout.locate().root().resolve("web");
    assertThat(web.resolve("dist/index.html"))
        .as("the web app is built by local/test (npm run build in web/)")
        .isRegularFile();
    assertThat(Path.of("/usr/bin/chromium"))
        .as("Debian's chromium: local/test installs it")
        .isExecutable();
    assertThat(stack.endpoints().webUrl()).as("the stack serves the app").startsWith("http://");
    files = Files.createTempDirectory("web-files");
    for (String name : new String[] {"a.jpg", "c.jpg", "d.jpg"}) {
      Files.write(files.resolve(name), TestImages.jpeg(640, 480, null));
    }
    Files.write(files.resolve("b.jpg"), TestImages.jpeg(480, 640, null));
    // Named and declared as a photo, but text: the pipeline refuses it (type-mismatch).
    Files.writeString(files.resolve("fake.jpg"), "not a photo at all", StandardCharsets.UTF_8);
    // A photo of three and a half chunks: a JPEG decoder stops at its end-of-image marker, so the
    // padding after it keeps it a valid photo while making the upload long enough to cut.
    byte[] photo = TestImages.jpeg(1600, 1200, null);
    Files.write(files.resolve("big.jpg"), Arrays.copyOf(photo, 3 * 1024 * 1024 + 512 * 1024));
    // Over the default 100 MiB limit; sparse, and refused before a byte is sent.
    try (RandomAccessFile huge = new RandomAccessFile(files.resolve("huge.jpg").toFile(), "rw")) {
      huge.setLength(101L * 1024 * 1024);
    }
    Files.write(files.resolve("archive.zip"), new byte[] {'P', 'K', 3, 4, 0, 0});
  }

  @Test
  void aUserSignsUpUploadsSeesThumbnailsNotificationsAndARefusalRenamesDeletesAndSignsOut()
      throws Exception {
    String output = playwright("journey.mjs");
    assertThat(output).contains("journey passed");
    // The figure for the notes (docs/web.md): from navigation to a loaded thumbnail.
    output.lines().filter(line -> line.startsWith("page load")).forEach(System.out::println);
    assertThat(screenshots("journey").resolve("04-gallery.png")).isRegularFile();
  }

  @Test
  void
      uploadsSurviveACutConnectionAReloadAnUnreachableApiAndAnExpiredSessionAndBadInputIsToldInWords()
          throws Exception {
    String output = playwright("resilience.mjs");
    assertThat(output).contains("resilience passed");
    assertThat(screenshots("resilience").resolve("01-cut.png")).isRegularFile();
  }

  /** The stack's lines a failed journey is explained by: the last warnings and deletion steps. */
  private static String functionsTail() throws IOException {
    if (!Files.exists(functionsLog)) {
      return "(no functions log)";
    }
    List<String> lines =
        Files.readAllLines(functionsLog, StandardCharsets.UTF_8).stream()
            .filter(line -> !line.contains("\"severity\":\"INFO\"") || line.contains("deletion"))
            .map(line -> line.length() > 400 ? line.substring(0, 400) : line)
            .toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  private static Path screenshots(String journey) {
    return Path.of("target/web-screenshots", journey).toAbsolutePath();
  }

  /** Runs web/tests/{@code script} in node and returns what it printed; fails if it does. */
  private static String playwright(String script) throws Exception {
    Path log = Files.createTempFile("web-" + script, ".log");
    ProcessBuilder builder =
        new ProcessBuilder("node", "tests/" + script)
            .directory(web.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("CIRRUS_WEB_URL", stack.endpoints().webUrl());
    env.put("CIRRUS_FILES", files.toString());
    env.put("CIRRUS_SCREENSHOTS", screenshots(script.replace(".mjs", "")).toString());
    Process process = builder.start();
    boolean finished = process.waitFor(240, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    if (!finished || process.exitValue() != 0) {
      output += "\nthe functions' warnings and account deletion steps:\n" + functionsTail();
    }
    assertThat(finished).as(output).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
