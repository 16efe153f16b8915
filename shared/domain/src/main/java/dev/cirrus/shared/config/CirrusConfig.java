package dev.cirrus.shared.config;

import dev.cirrus.shared.webhooks.DeliveryPolicy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
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
 * @param fcmEmulatorHost {@code host:port} of a local stand-in for FCM ({@code FCM_EMULATOR_HOST}):
 *     FCM has no emulator, so the local stack points the Admin SDK's HTTP transport at a fake that
 *     records pushes
 * @param uploadsBucket bucket holding unverified uploads
 * @param filesBucket bucket holding verified files
 * @param limits request and per-user limits
 * @param uploads what uploads may be and how many may be in flight
 * @param corsOrigins allowed browser origins, comma-separated ({@code CIRRUS_CORS_ORIGINS}; none
 *     unless named); {@code *} allows any (bearer tokens, no cookies)
 * @param signingKeyFile a service account key to sign URLs with ({@code CIRRUS_SIGNING_KEY_FILE});
 *     without it URLs are signed by the instance's own account through IAM {@code signBlob}
 * @param tokenCacheMaxAge how long a verified ID token is trusted without asking again ({@code
 *     CIRRUS_TOKEN_CACHE_SECONDS}, default 300): the longest a revoked or disabled user keeps
 *     access to a warm instance
 * @param firestoreTransport how the Firestore client talks to Firestore ({@code
 *     CIRRUS_FIRESTORE_TRANSPORT}: {@code rest}, the default, or {@code grpc})
 * @param appCheck where App Check tokens are required ({@link AppCheckPolicy})
 * @param appCheckJwksUrl where App Check's keys are read from ({@code CIRRUS_APP_CHECK_JWKS_URL});
 *     Firebase's own unless set, and settable only in {@code demo-} projects, where the local stack
 *     publishes keys of its own
 * @param rateLimits the front door's budgets ({@link RateLimitPolicy})
 * @param redisUrl where Redis is ({@code CIRRUS_REDIS_URL}); without it, no limits and no cache
 * @param redisAuth Memorystore's AUTH string ({@code CIRRUS_REDIS_AUTH}, from Secret Manager)
 * @param redisTimeout for connecting to Redis and for each answer ({@code CIRRUS_REDIS_TIMEOUT_MS})
 * @param userCache how long user records are cached ({@link UserCachePolicy})
 * @param edgeKey what the load balancer adds to every request it forwards ({@code CIRRUS_EDGE_KEY},
 *     from Secret Manager): with it set, a request without it (one sent to API Gateway's own
 *     address, around Cloud Armor) is refused
 * @param storageRetryTestId a retry test of the storage emulator that every Cloud Storage call of
 *     this instance names ({@code CIRRUS_STORAGE_RETRY_TEST_ID}, as the {@code x-retry-test-id}
 *     header), so a test can make the functions' own reads fail as Cloud Storage's sometimes do;
 *     only with {@code STORAGE_EMULATOR_HOST}
 * @param webhookRetrySchedule the waits before each webhook retry ({@code
 *     CIRRUS_WEBHOOK_RETRY_SCHEDULE}, such as {@code 5s,5m,30m}); Standard Webhooks' unless set
 */
public record CirrusConfig(
    String projectId,
    String functionName,
    Optional<String> firestoreEmulatorHost,
    Optional<String> pubsubEmulatorHost,
    Optional<String> authEmulatorHost,
    Optional<String> storageEmulatorHost,
    Optional<String> fcmEmulatorHost,
    String uploadsBucket,
    String filesBucket,
    Limits limits,
    UploadPolicy uploads,
    String corsOrigins,
    Optional<String> signingKeyFile,
    Duration tokenCacheMaxAge,
    FirestoreTransport firestoreTransport,
    AppCheckPolicy appCheck,
    Optional<String> appCheckJwksUrl,
    RateLimitPolicy rateLimits,
    Optional<String> redisUrl,
    Optional<String> redisAuth,
    Duration redisTimeout,
    UserCachePolicy userCache,
    Optional<String> edgeKey,
    Optional<String> storageRetryTestId,
    List<Duration> webhookRetrySchedule) {

  public static final String DEMO_PREFIX = "demo-";

  /** Revocation reaches a warm instance within this, unless configured otherwise. */
  public static final Duration DEFAULT_TOKEN_CACHE = Duration.ofMinutes(5);

  /** A token lives an hour: caching it longer would make {@code checkRevoked} meaningless. */
  private static final Duration MAX_TOKEN_CACHE = Duration.ofMinutes(15);

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
    if (appCheckJwksUrl.isPresent() && !projectId.startsWith(DEMO_PREFIX)) {
      // Keys of one's own would let anyone who holds them mint App Check tokens: a debug provider.
      throw new ConfigException(
          "CIRRUS_APP_CHECK_JWKS_URL is set but GOOGLE_CLOUD_PROJECT ("
              + projectId
              + ") does not start with '"
              + DEMO_PREFIX
              + "': App Check keys other than Firebase's are for demo projects only");
    }
    if (redisUrl.isPresent() && !redisUrl.get().matches("redis://[A-Za-z0-9.\\-]+(:\\d{1,5})?/?")) {
      throw new ConfigException(
          "CIRRUS_REDIS_URL must be redis://host:port, got: " + redisUrl.get());
    }
    if (redisTimeout.toMillis() < 10 || redisTimeout.toMillis() > 5000) {
      throw new ConfigException(
          "CIRRUS_REDIS_TIMEOUT_MS must be between 10 and 5000, got: " + redisTimeout.toMillis());
    }
    if (edgeKey.isPresent() && !edgeKey.get().matches("[A-Za-z0-9_-]{32,128}")) {
      throw new ConfigException(
          "CIRRUS_EDGE_KEY must be 32 to 128 letters, digits, '-' or '_' (the value is not shown)");
    }
    if (storageRetryTestId.isPresent()
        && (storageEmulatorHost.isEmpty()
            || !storageRetryTestId.get().matches("[A-Za-z0-9_-]{1,64}"))) {
      throw new ConfigException(
          "CIRRUS_STORAGE_RETRY_TEST_ID names a retry test of the storage emulator: it needs"
              + " STORAGE_EMULATOR_HOST, and 1 to 64 letters, digits, '-' or '_'");
    }
    if (tokenCacheMaxAge.isNegative() || tokenCacheMaxAge.compareTo(MAX_TOKEN_CACHE) > 0) {
      throw new ConfigException(
          "CIRRUS_TOKEN_CACHE_SECONDS must be between 0 and "
              + MAX_TOKEN_CACHE.toSeconds()
              + ", got: "
              + tokenCacheMaxAge.toSeconds());
    }
  }

  /**
   * Names the project and function only: the configuration holds secrets (Redis AUTH, edge key).
   */
  @Override
  public String toString() {
    return "CirrusConfig[projectId=" + projectId + ", functionName=" + functionName + "]";
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
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putIfAbsent("K_SERVICE", functionName);
    return fromEnvironment(env);
  }

  /** Reads the given variables; tests pass their own map. */
  public static CirrusConfig fromEnvironment(Map<String, String> env) {
    String project = first(env, "GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT").orElse(null);
    if (project == null) {
      throw new ConfigException("GOOGLE_CLOUD_PROJECT is not set");
    }
    refuseEmulatorsOutsideDemo(env, project);
    return new CirrusConfig(
        project,
        optional(env, "K_SERVICE").orElse("local"),
        hostPort(env, "FIRESTORE_EMULATOR_HOST"),
        hostPort(env, "PUBSUB_EMULATOR_HOST"),
        hostPort(env, "FIREBASE_AUTH_EMULATOR_HOST"),
        optional(env, "STORAGE_EMULATOR_HOST"),
        hostPort(env, "FCM_EMULATOR_HOST"),
        optional(env, "CIRRUS_UPLOADS_BUCKET").orElse(project + "-uploads"),
        optional(env, "CIRRUS_FILES_BUCKET").orElse(project + "-files"),
        Limits.fromEnvironment(env),
        UploadPolicy.fromEnvironment(env),
        // No browser origin by default: mobile apps need none, and a web app's origin is named.
        optional(env, "CIRRUS_CORS_ORIGINS").orElse(""),
        optional(env, "CIRRUS_SIGNING_KEY_FILE"),
        Duration.ofSeconds(
            Limits.number(env, "CIRRUS_TOKEN_CACHE_SECONDS", DEFAULT_TOKEN_CACHE.toSeconds())),
        FirestoreTransport.parse(optional(env, "CIRRUS_FIRESTORE_TRANSPORT").orElse("rest")),
        AppCheckPolicy.fromEnvironment(env),
        optional(env, "CIRRUS_APP_CHECK_JWKS_URL"),
        RateLimitPolicy.fromEnvironment(env),
        optional(env, "CIRRUS_REDIS_URL"),
        optional(env, "CIRRUS_REDIS_AUTH"),
        Duration.ofMillis(Limits.number(env, "CIRRUS_REDIS_TIMEOUT_MS", 500)),
        UserCachePolicy.fromEnvironment(env),
        optional(env, "CIRRUS_EDGE_KEY"),
        optional(env, "CIRRUS_STORAGE_RETRY_TEST_ID"),
        webhookSchedule(env));
  }

  /** A {@code demo-} project: the local stack's, where emulators and loopback receivers live. */
  public boolean isDemo() {
    return projectId.startsWith(DEMO_PREFIX);
  }

  private static List<Duration> webhookSchedule(Map<String, String> env) {
    Optional<String> raw = optional(env, "CIRRUS_WEBHOOK_RETRY_SCHEDULE");
    if (raw.isEmpty()) {
      return DeliveryPolicy.SCHEDULE;
    }
    try {
      return DeliveryPolicy.parseSchedule(raw.get());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("CIRRUS_WEBHOOK_RETRY_SCHEDULE: " + e.getMessage());
    }
  }

  /**
   * Google's libraries switch to an emulator when its variable is merely present: the Admin SDK
   * accepts unsigned tokens for any non-empty {@code FIREBASE_AUTH_EMULATOR_HOST}, a single space
   * included. So the raw values are checked, before any trimming, for every emulator variable.
   */
  private static void refuseEmulatorsOutsideDemo(Map<String, String> env, String project) {
    if (project.startsWith(DEMO_PREFIX)) {
      return;
    }
    env.entrySet().stream()
        .filter(e -> e.getKey().endsWith("_EMULATOR_HOST"))
        .filter(e -> e.getValue() != null && !e.getValue().isEmpty())
        .map(Map.Entry::getKey)
        .sorted()
        .findFirst()
        .ifPresent(
            name -> {
              throw new ConfigException(
                  name
                      + " is set but GOOGLE_CLOUD_PROJECT ("
                      + project
                      + ") does not start with '"
                      + DEMO_PREFIX
                      + "': emulators are for demo projects only, and an emulator variable"
                      + " switches Google's clients away from the real service");
            });
  }

  static Optional<String> optional(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  static Optional<String> first(Map<String, String> env, String a, String b) {
    return optional(env, a).or(() -> optional(env, b));
  }

  private static Optional<String> hostPort(Map<String, String> env, String name) {
    String raw = env.get(name);
    if (raw != null && !raw.isEmpty() && raw.isBlank()) {
      // Blank is not "unset" to Google's libraries (see refuseEmulatorsOutsideDemo).
      throw new ConfigException(name + " must be host:port or unset, got a blank value");
    }
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
