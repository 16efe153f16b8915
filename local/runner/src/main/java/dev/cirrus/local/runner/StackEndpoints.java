package dev.cirrus.local.runner;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where a client reaches each part of a running {@link LocalStack}. */
public record StackEndpoints(
    String apiUrl,
    String firestoreHost,
    String pubsubHost,
    String authHost,
    String storageHost,
    String fcmHost,
    String appCheckMintUrl,
    String redisUrl,
    String statusUrl,
    String tracesUrl,
    String webUrl,
    String projectId) {
  public Map<String, String> asEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CIRRUS_API_URL", apiUrl);
    env.put("FIRESTORE_EMULATOR_HOST", firestoreHost);
    env.put("PUBSUB_EMULATOR_HOST", pubsubHost);
    env.put("FIREBASE_AUTH_EMULATOR_HOST", authHost);
    env.put("STORAGE_EMULATOR_HOST", storageHost);
    env.put("FCM_EMULATOR_HOST", fcmHost);
    env.put("CIRRUS_APP_CHECK_MINT_URL", appCheckMintUrl);
    env.put("CIRRUS_REDIS_URL", redisUrl);
    env.put("CIRRUS_STATUS_URL", statusUrl);
    env.put("CIRRUS_TRACES_URL", tracesUrl);
    if (!webUrl.isEmpty()) {
      env.put("CIRRUS_WEB_URL", webUrl);
    }
    env.put("GOOGLE_CLOUD_PROJECT", projectId);
    return env;
  }

  /** Writes them as {@code KEY=value} lines, for {@code source} and for tools. */
  public void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    StringBuilder text = new StringBuilder("# Written by the local stack; valid while it runs.\n");
    asEnvironment().forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    Files.writeString(file, text);
  }

  /** What the FCM fake accepted, as JSON. */
  public URI pushesUrl() {
    return URI.create("http://" + fcmHost + "/_fake/messages");
  }
}
