package dev.cirrus.local.runner;

import dev.cirrus.local.storage.BucketSettings;
import dev.cirrus.local.storage.Notifications;
import dev.cirrus.local.storage.StorageEmulator;
import dev.cirrus.local.storage.signing.TrustedKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local stack's Cloud Storage: the project's emulator in this JVM, set up as infra/storage.tf.
 */
final class StackStorage {
  private StackStorage() {}

  /**
   * The project's Cloud Storage emulator, in this JVM, with the two buckets functions use. It
   * starts from what {@code seed} holds, as the Firestore emulator does: empty unless the stack
   * imports an export, since objects whose documents are gone would only confuse.
   */
  static StorageEmulator start(
      int port,
      String projectId,
      String pubsubHost,
      Path stateDir,
      StackData.Seed seed,
      TrustedKeys trusted,
      StartProgress.Progress report,
      long t0)
      throws IOException {
    Path data = stateDir.resolve("storage");
    StackData.prepareStorage(data, seed);
    StorageEmulator storage = StorageEmulator.onDisk(port, data, trusted, Optional.of(pubsubHost));
    // As infra/storage.tf: uniform bucket-level access and public access prevention. An imported
    // export brings them.
    for (String bucket : List.of(projectId + "-uploads", projectId + "-files")) {
      if (storage.store().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
        storage
            .store()
            .createBucket(bucket, projectId, BucketSettings.uniformPrivate(), null, null);
      }
    }
    // As infra/storage.tf: finished uploads announce themselves on upload-finalized.
    storage
        .notifications()
        .create(
            projectId + "-uploads",
            "projects/" + projectId + "/topics/" + FunctionCatalog.UPLOAD_FINALIZED_TOPIC,
            "JSON_API_V1",
            List.of(Notifications.FINALIZE),
            Map.of(),
            null);
    report.line("storage", storage.url(), Duration.ofNanos(System.nanoTime() - t0));
    return storage;
  }
}
