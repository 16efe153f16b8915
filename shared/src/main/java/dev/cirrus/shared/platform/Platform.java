package dev.cirrus.shared.platform;

import com.google.auth.ServiceAccountSigner;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.common.base.Suppliers;
import com.google.firebase.auth.FirebaseAuth;
import dev.cirrus.shared.adapter.authemulator.EmulatorTokenVerifier;
import dev.cirrus.shared.adapter.firebase.FirebaseTokenVerifier;
import dev.cirrus.shared.adapter.firestore.FirestoreDeadLetterStore;
import dev.cirrus.shared.adapter.gcp.GcpClients;
import dev.cirrus.shared.adapter.gcs.GcsObjectStorage;
import dev.cirrus.shared.adapter.pubsub.PubSubSubscriptionTopics;
import dev.cirrus.shared.adapter.pubsub.RestPubSubEventBus;
import dev.cirrus.shared.auth.AccessPolicy;
import dev.cirrus.shared.auth.CachingTokenVerifier;
import dev.cirrus.shared.auth.TokenVerifier;
import dev.cirrus.shared.config.CirrusConfig;
import dev.cirrus.shared.deadletters.DeadLetterService;
import dev.cirrus.shared.events.EventBus;
import dev.cirrus.shared.http.HttpApi;
import dev.cirrus.shared.http.Router;
import dev.cirrus.shared.json.JsonCodec;
import dev.cirrus.shared.log.StructuredLogger;
import dev.cirrus.shared.storage.ObjectStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What every function of one instance shares, wired by hand: configuration, clock, JSON, logs, the
 * lazily created Google clients and the token verifier. A function's composition root takes one of
 * these and adds its own domain service and routes.
 */
public final class Platform {
  /** Read once by each cold instance's warm-up, never written. */
  private static final String WARM_UP_COLLECTION = "cirrus-warm-up";

  private final CirrusConfig config;
  private final Clock clock;
  private final JsonCodec json;
  private final StructuredLogger log;
  private final GcpClients clients;
  private final TokenVerifier tokens;
  private final Supplier<String> ids;

  private Platform(
      CirrusConfig config,
      Clock clock,
      JsonCodec json,
      StructuredLogger log,
      GcpClients clients,
      TokenVerifier tokens,
      Supplier<String> ids) {
    this.config = config;
    this.clock = clock;
    this.json = json;
    this.log = log;
    this.clients = clients;
    this.tokens = tokens;
    this.ids = ids;
  }

  /**
   * Production wiring from the process environment; fails fast on a bad configuration.
   *
   * @param functionName the function's name, for log labels where Cloud Run does not set it
   */
  public static Platform fromEnvironment(String functionName) {
    return create(CirrusConfig.fromEnvironment(functionName), Clock.systemUTC());
  }

  public static Platform create(CirrusConfig config, Clock clock) {
    JsonCodec json = new JsonCodec();
    StructuredLogger log =
        new StructuredLogger(System.out, json, clock, config.projectId(), config.functionName());
    GcpClients clients = new GcpClients(config);
    TokenVerifier verifier =
        config.usesAuthEmulator()
            ? new EmulatorTokenVerifier(
                config,
                // Built on first use: a JDK HttpClient initialises TLS, ~0.4 s of a cold start.
                clients.http(),
                json.mapper(),
                clock)
            : new FirebaseTokenVerifier(
                () -> FirebaseAuth.getInstance(clients.firebase().get()), true);
    TokenVerifier cached =
        new CachingTokenVerifier(verifier, clock, config.tokenCacheMaxAge(), 10_000);
    return new Platform(
        config, clock, json, log, clients, cached, () -> UUID.randomUUID().toString());
  }

  /** What a cold instance can prepare in the background while it starts. */
  public enum WarmUp {
    /** The client, its channel connected and its call path loaded by one read. */
    FIRESTORE,
    /** The Cloud Storage client. */
    STORAGE,
    /** The token verifier's clients (see {@link TokenVerifier#warmUp()}). */
    TOKENS
  }

  /**
   * Prepares {@code what} on background daemon threads, one each, so a cold instance loads the
   * heavy client classes (gRPC, protobuf, TLS) and opens its connections while the invoker starts,
   * not on its first request. Still lazy and once: a request that needs a client that is not ready
   * yet simply waits for it. A failure here is left for that request to see. Call it first in a
   * composition root, so everything else the constructor does overlaps with it.
   */
  public void warmUpInBackground(Set<WarmUp> what) {
    for (WarmUp item : what) {
      Thread warmer = new Thread(() -> warmUp(item), "cirrus-warm-up-" + item);
      warmer.setDaemon(true);
      warmer.start();
    }
  }

  private void warmUp(WarmUp item) {
    try {
      switch (item) {
        case FIRESTORE ->
            // One read of a document nobody writes: a cold start costs one billed read.
            clients
                .firestore()
                .get()
                .collection(WARM_UP_COLLECTION)
                .document("connection")
                .get()
                .get(30, TimeUnit.SECONDS);
        case STORAGE -> clients.storage().get();
        case TOKENS -> tokens.warmUp();
      }
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      // The request that needs it will fail with the real error.
    }
  }

  /** The HTTP boundary for {@code router}, with this platform's verifier, logs and limits. */
  public HttpApi httpApi(Router router) {
    return new HttpApi(
        router,
        tokens,
        json,
        log,
        clock,
        ids,
        config.limits().maxRequestBytes(),
        config.corsOrigins());
  }

  /**
   * Cloud Storage through the lazily created client. URLs are signed with the key file from {@code
   * CIRRUS_SIGNING_KEY_FILE} when one is configured, else by the instance's own account.
   */
  public ObjectStorage objectStorage() {
    Supplier<Optional<ServiceAccountSigner>> signer =
        Suppliers.memoize(
            () ->
                config
                    .signingKeyFile()
                    .map(
                        file -> {
                          try (InputStream in = Files.newInputStream(Path.of(file))) {
                            return (ServiceAccountSigner) ServiceAccountCredentials.fromStream(in);
                          } catch (IOException e) {
                            throw new UncheckedIOException("cannot read " + file, e);
                          }
                        }));
    return new GcsObjectStorage(
        clients.storage(),
        config.storageEmulatorHost(),
        clients.http().get(),
        json.mapper(),
        clock,
        signer);
  }

  /** Pub/Sub through its REST API. */
  public EventBus eventBus() {
    return new RestPubSubEventBus(
        clients.http(),
        clients.pubsubApi(),
        config.projectId(),
        clients::pubsubAccessToken,
        json.mapper());
  }

  /**
   * Dead letters, recorded in Firestore; the topic each came from is read from the subscription
   * that gave it up.
   */
  public DeadLetterService deadLetters() {
    return new DeadLetterService(
        new FirestoreDeadLetterStore(clients.firestore()),
        new PubSubSubscriptionTopics(clients.subscriptionAdmin()),
        eventBus(),
        new AccessPolicy(),
        clock,
        config.projectId());
  }

  /** Random ids for new documents. */
  public Supplier<String> ids() {
    return ids;
  }

  public CirrusConfig config() {
    return config;
  }

  public Clock clock() {
    return clock;
  }

  public JsonCodec json() {
    return json;
  }

  public StructuredLogger log() {
    return log;
  }

  public GcpClients clients() {
    return clients;
  }

  public TokenVerifier tokens() {
    return tokens;
  }
}
