package dev.cirrus.local.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.local.storage.signing.TrustedKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Google's Node client ({@code @google-cloud/storage}, pinned in {@code node/package.json}) drives
 * the emulator through {@code node/conformance.test.mjs}: a client no one here wrote.
 */
class NodeClientConformanceTest {

  @Test
  void nodeClientUploadsDownloadsListsUpdatesAndSigns() throws Exception {
    Path node = Path.of("node").toAbsolutePath();
    assertThat(node.resolve("node_modules/@google-cloud/storage"))
        .as("run 'npm ci --prefix local/storage-emulator/node' (local/test does)")
        .isDirectory();
    Path keyFile =
        TestData.dir("gcs-v4-signatures").resolve("test_service_account.not-a-test.json");
    JsonNode key = new ObjectMapper().readTree(keyFile.toFile());
    try (StorageEmulator emulator =
        StorageEmulator.inMemory(
            0,
            new TrustedKeys()
                .trustPrivateKeyPem(
                    key.path("client_email").asText(), key.path("private_key").asText()))) {
      Path log = Files.createTempFile("node-conformance", ".log");
      ProcessBuilder builder =
          new ProcessBuilder("node", "--test", "conformance.test.mjs")
              .directory(node.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().put("STORAGE_EMULATOR_HOST", emulator.url());
      builder.environment().put("CIRRUS_SIGNING_KEY_FILE", keyFile.toString());
      Process process = builder.start();
      boolean finished = process.waitFor(120, TimeUnit.SECONDS);
      String output = Files.readString(log, StandardCharsets.UTF_8);
      if (!finished) {
        process.destroyForcibly();
      }
      assertThat(finished).as(output).isTrue();
      assertThat(process.exitValue()).as(output).isZero();
      assertThat(output).contains("# pass 10").contains("# fail 0");
    }
  }
}
