package dev.cirrus.local.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Where things are on this machine: the repository root, the Cloud SDK, firebase-tools. */
public final class ProjectLayout {
  private final Path root;

  private ProjectLayout(Path root) {
    this.root = root;
  }

  /** Finds the repository root by walking up from the working directory. */
  public static ProjectLayout locate() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("emulator-config/firebase.json"))) {
        return new ProjectLayout(p);
      }
    }
    throw new IllegalStateException("no emulator-config/firebase.json above " + dir);
  }

  public Path root() {
    return root;
  }

  public Path emulatorConfig() {
    return root.resolve("emulator-config");
  }

  /**
   * The Firestore security rules that {@code emulator-config/firebase.json} names: the stack loads
   * them into the emulator, and infra/rules.tf deploys the same file.
   */
  public Path firestoreRules() {
    try {
      JsonNode config =
          new ObjectMapper().readTree(emulatorConfig().resolve("firebase.json").toFile());
      String name = config.path("firestore").path("rules").asText("");
      if (name.isEmpty()) {
        throw new IllegalStateException("emulator-config/firebase.json names no firestore.rules");
      }
      return emulatorConfig().resolve(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** firebase-tools as pinned in emulator-config/package.json. */
  public Path firebaseCli() {
    Path cli = emulatorConfig().resolve("node_modules/firebase-tools/lib/bin/firebase.js");
    if (!Files.isRegularFile(cli)) {
      throw new IllegalStateException(
          "firebase-tools is not installed: run 'npm ci --prefix emulator-config' (the README's"
              + " commands do this for you)");
    }
    return cli;
  }

  /** The Cloud SDK root, as {@code gcloud info} reports it; {@code CLOUDSDK_ROOT} overrides. */
  public static Path cloudSdkRoot() {
    String override = System.getenv("CLOUDSDK_ROOT");
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    try {
      Process gcloud =
          new ProcessBuilder("gcloud", "info", "--format=value(installation.sdk_root)")
              .redirectErrorStream(false)
              .start();
      String out;
      try (InputStream in = gcloud.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      }
      if (gcloud.waitFor(30, TimeUnit.SECONDS) && gcloud.exitValue() == 0 && !out.isEmpty()) {
        return Path.of(out);
      }
    } catch (IOException e) {
      // fall through to the error below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException("cannot find the Google Cloud SDK: is gcloud on PATH?");
  }
}
