package dev.cirrus.shared.config;

import java.util.Map;
import java.util.Optional;

/**
 * Everything a function reads from its environment, read once and validated at construction so that
 * a bad deployment fails at start-up with a message naming the variable, never at the first
 * request.
 *
 * @param projectId the Google Cloud project ({@code GOOGLE_CLOUD_PROJECT})
 * @param functionName the deployed function's name, for log labels ({@code K_SERVICE})
 * @param firestoreEmulatorHost {@code host:port} of the Firestore emulator, if any
 * @param pubsubEmulatorHost {@code host:port} of the Pub/Sub emulator, if any
 * @param authEmulatorHost {@code host:port} of the Firebase Auth emulator, if any
 * @param storageEmulatorHost {@code http://host:port} of the Cloud Storage emulator, if any
 * @param uploadsBucket bucket holding unverified uploads
 * @param filesBucket bucket holding verified files
 * @param limits request and per-user limits
 * @param uploads what uploads may be and how many may be in flight
 * @param corsOrigins allowed browser origins; {@code *} allows any (bearer tokens, no cookies)
 * @param signingKeyFile a service account key to sign URLs with ({@code CIRRUS_SIGNING_KEY_FILE});
 *     without it URLs are signed by the instance's own account through IAM {@code signBlob}
 */
public record CirrusConfig(
    String projectId,
    String functionName,
    Optional<String> firestoreEmulatorHost,
    Optional<String> pubsubEmulatorHost,
    Optional<String> authEmulatorHost,
    Optional<String> storageEmulatorHost,
    String uploadsBucket,
    String filesBucket,
    Limits limits,
    UploadPolicy uploads,
    String corsOrigins,
    Optional<String> signingKeyFile) {

  public static final String DEMO_PREFIX = "demo-";

  public CirrusConfig {
    if (projectId == null || !projectId.matches("[a-z][a-z0-9-]{4,28}[a-z0-9]")) {
      throw new ConfigException(
          "GOOGLE_CLOUD_PROJECT must be a valid project id (6-30 lower-case letters, digits or"
              + " hyphens), got: "
              + projectId);
    }
    if (authEmulatorHost.isPresent() && !projectId.startsWith(DEMO_PREFIX)) {
      // The Auth emulator issues unsigned tokens anyone can forge; honouring them outside a
      // throw-away demo project would switch authentication off in production.
      throw new ConfigException(
          "FIREBASE_AUTH_EMULATOR_HOST is set but GOOGLE_CLOUD_PROJECT ("
              + projectId
              + ") does not start with '"
              + DEMO_PREFIX
              + "': refusing to accept unsigned emulator tokens outside a demo project");
    }
  }

  /** True when this instance accepts the Auth emulator's unsigned tokens. */
  public boolean usesAuthEmulator() {
    return authEmulatorHost.isPresent();
  }

  /**
   * Reads the process environment.
   *
   * @param functionName the log label when {@code K_SERVICE} (set by Cloud Run) is absent
   */
  public static CirrusConfig fromEnvironment(String functionName) {
    Map<String, String> env = new java.util.HashMap<>(System.getenv());
    env.putIfAbsent("K_SERVICE", functionName);
    return fromEnvironment(env);
  }

  /** Reads the given variables; tests pass their own map. */
  public static CirrusConfig fromEnvironment(Map<String, String> env) {
    String project = first(env, "GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT").orElse(null);
    if (project == null) {
      throw new ConfigException("GOOGLE_CLOUD_PROJECT is not set");
    }
    return new CirrusConfig(
        project,
        optional(env, "K_SERVICE").orElse("local"),
        hostPort(env, "FIRESTORE_EMULATOR_HOST"),
        hostPort(env, "PUBSUB_EMULATOR_HOST"),
        hostPort(env, "FIREBASE_AUTH_EMULATOR_HOST"),
        optional(env, "STORAGE_EMULATOR_HOST"),
        optional(env, "CIRRUS_UPLOADS_BUCKET").orElse(project + "-uploads"),
        optional(env, "CIRRUS_FILES_BUCKET").orElse(project + "-files"),
        Limits.fromEnvironment(env),
        UploadPolicy.fromEnvironment(env),
        optional(env, "CIRRUS_CORS_ORIGINS").orElse("*"),
        optional(env, "CIRRUS_SIGNING_KEY_FILE"));
  }

  static Optional<String> optional(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  static Optional<String> first(Map<String, String> env, String a, String b) {
    return optional(env, a).or(() -> optional(env, b));
  }

  private static Optional<String> hostPort(Map<String, String> env, String name) {
    Optional<String> value = optional(env, name);
    value.ifPresent(
        v -> {
          if (!v.matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}")) {
            throw new ConfigException(name + " must be host:port, got: " + v);
          }
        });
    return value;
  }
}
