package dev.cirrus.local.runner;

import com.google.cloud.NoCredentials;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import dev.cirrus.shared.adapter.gcp.GcpClients;
import dev.cirrus.shared.config.CirrusConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Google's clients on a running stack's emulators, as an operator's tools reach production: for a
 * test that reads or changes what no API call shows (every document, every object).
 */
final class StackClients {
  private StackClients() {}

  /** The project's Firestore client, set up for the stack's emulator as the functions' is. */
  static Firestore firestore(LocalStack stack) {
    return new GcpClients(
            CirrusConfig.fromEnvironment(
                Map.of(
                    "GOOGLE_CLOUD_PROJECT",
                    RunningStack.PROJECT,
                    "FIRESTORE_EMULATOR_HOST",
                    stack.endpoints().firestoreHost())))
        .firestore()
        .get();
  }

  /** Google's Cloud Storage client on the stack's storage emulator, with no credentials. */
  static Storage storage(LocalStack stack) {
    return StorageOptions.newBuilder()
        .setHost(stack.endpoints().storageHost())
        .setProjectId(RunningStack.PROJECT)
        .setCredentials(NoCredentials.getInstance())
        .build()
        .getService();
  }

  /** The names of the objects under {@code prefix} in {@code bucket}, all pages. */
  static List<String> objectNames(Storage storage, String bucket, String prefix) {
    List<String> names = new ArrayList<>();
    for (Blob blob : storage.list(bucket, Storage.BlobListOption.prefix(prefix)).iterateAll()) {
      names.add(blob.getName());
    }
    return names;
  }
}
