package dev.cirrus.shared.platform;

import com.google.firebase.auth.FirebaseAuth;
import dev.cirrus.shared.accounts.AccountDeletionService;
import dev.cirrus.shared.adapter.appcheck.JwksAppCheckVerifier;
import dev.cirrus.shared.adapter.authemulator.EmulatorTokenVerifier;
import dev.cirrus.shared.adapter.firebase.FirebaseTokenVerifier;
import dev.cirrus.shared.adapter.gcp.GcpAdapters;
import dev.cirrus.shared.adapter.gcp.GcpClients;
import dev.cirrus.shared.adapter.redis.RedisClient;
import dev.cirrus.shared.adapter.redis.RedisRateLimiter;
import dev.cirrus.shared.adapter.redis.RedisUserCache;
import dev.cirrus.shared.adapter.telemetry.OtelTracer;
import dev.cirrus.shared.adapter.telemetry.TelemetrySettings;
import dev.cirrus.shared.admin.AuditTrail;
import dev.cirrus.shared.appcheck.AppCheckGate;
import dev.cirrus.shared.auth.AccessPolicy;
import dev.cirrus.shared.auth.CachingTokenVerifier;
import dev.cirrus.shared.auth.TokenVerifier;
import dev.cirrus.shared.config.CirrusConfig;
import dev.cirrus.shared.deadletters.DeadLetterService;
import dev.cirrus.shared.events.MessageCodec;
import dev.cirrus.shared.exports.AccountExportService;
import dev.cirrus.shared.http.HttpApi;
import dev.cirrus.shared.http.Router;
import dev.cirrus.shared.json.JsonCodec;
import dev.cirrus.shared.json.JsonMessageCodec;
import dev.cirrus.shared.log.StructuredLogger;
import dev.cirrus.shared.log.StructuredLogger.Context;
import dev.cirrus.shared.ratelimit.RateLimitGate;
import dev.cirrus.shared.tracing.Tracer;
import dev.cirrus.shared.users.TieredUserCache;
import dev.cirrus.shared.users.UserCache;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every function of one instance shares, wired by hand: configuration, clock, JSON, logs, the
 * token verifier and the domain's ports on Google Cloud ({@link #adapters()}). A function's
 * composition root takes one of these and adds its own domain service and routes; the clients
 * behind the adapters stay in here.
 */
public final class Platform {
  /** Read once by each cold instance's warm-up, never written. */
  private static final String WARM_UP_COLLECTION = "cirrus-warm-up";

  private final CirrusConfig config;
  private final Clock clock;
  private final JsonCodec json;
  private final StructuredLogger log;
  private final GcpClients clients;
  private final GcpAdapters adapters;
  private final MessageCodec messages;
  private final TokenVerifier tokens;
  private final TokenVerifier freshTokens;
  private final AppCheckGate appCheck;
  private final RateLimitGate rateLimits;
  private final UserCache userCache;
  private final Supplier<String> ids;
  private final Tracer tracer;

  private Platform(
      CirrusConfig config,
      Clock clock,
      JsonCodec json,
      StructuredLogger log,
      GcpClients clients,
      TokenVerifier tokens,
      TokenVerifier freshTokens,
      AppCheckGate appCheck,
      RateLimitGate rateLimits,
      UserCache userCache,
      Supplier<String> ids,
      Tracer tracer) {
    this.config = config;
    this.clock = clock;
    this.json = json;
    this.log = log;
    this.clients = clients;
    this.tracer = tracer;
    this.adapters = new GcpAdapters(clients, config, json, clock, tracer);
    this.messages = new JsonMessageCodec(json);
    this.tokens = tokens;
    this.freshTokens = freshTokens;
    this.appCheck = appCheck;
    this.rateLimits = rateLimits;
    this.userCache = userCache;
    this.ids = ids;
  }

  /**
   * Production wiring from the process environment; fails fast on a bad configuration.
   *
   * @param functionName the function's name, for log labels where Cloud Run does not set it
   */
  public static Platform fromEnvironment(String functionName) {
    CirrusConfig config = CirrusConfig.fromEnvironment(functionName);
    return create(
        config, Clock.systemUTC(), TelemetrySettings.from(System.getenv(), config.functionName()));
  }

  /** Wiring that traces nothing: for tools, such as the first admin's grant. */
  public static Platform create(CirrusConfig config, Clock clock) {
    return create(
        config, clock, TelemetrySettings.from(Map.of("OTEL_SDK_DISABLED", "true"), "tool"));
  }

  /** Wiring with spans sampled and exported as {@code telemetry} says. */
  public static Platform create(CirrusConfig config, Clock clock, TelemetrySettings telemetry) {
    JsonCodec json = new JsonCodec();
    StructuredLogger log =
        new StructuredLogger(System.out, json, clock, config.projectId(), config.functionName());
    GcpClients clients = new GcpClients(config);
    Tracer tracer = OtelTracer.create(telemetry, config.projectId(), clients::traceAccessToken);
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
    AppCheckGate appCheck =
        config
            .appCheck()
            .projectNumber()
            .map(
                number ->
                    new AppCheckGate(
                        config.appCheck(),
                        new JwksAppCheckVerifier(
                            number,
                            config
                                .appCheckJwksUrl()
                                .map(URI::create)
                                .orElse(JwksAppCheckVerifier.JWKS),
                            clients.http(),
                            json.mapper(),
                            clock)))
            .orElseGet(AppCheckGate::off);
    // One client, and so one pool of connections, for the limits and the cache. It connects on
    // first use only.
    Optional<RedisClient> redis =
        config
            .redisUrl()
            .map(
                url -> new RedisClient(URI.create(url), config.redisTimeout(), config.redisAuth()));
    RateLimitGate rateLimits =
        config.rateLimits().enabled() && redis.isPresent()
            ? new RateLimitGate(config.rateLimits(), new RedisRateLimiter(redis.get()))
            : RateLimitGate.off();
    UserCache userCache =
        config.userCache().enabled() && redis.isPresent()
            ? new TieredUserCache(
                new RedisUserCache(
                    redis.get(),
                    json.mapper(),
                    config.userCache().shared(),
                    RedisUserCache.EVICTION_MARK),
                config.userCache().near(),
                10_000,
                clock,
                why ->
                    log.warn(
                        new Context("user-cache", Optional.empty()),
                        why,
                        Map.of("userCache", "failed-open")))
            : UserCache.NONE;
    return new Platform(
        config,
        clock,
        json,
        log,
        clients,
        cached,
        verifier,
        appCheck,
        rateLimits,
        userCache,
        () -> UUID.randomUUID().toString(),
        tracer);
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
    return boundary(router, tokens);
  }

  /**
   * The HTTP boundary for the admin routes: as {@link #httpApi}, but every request's token is
   * verified afresh, revocation and disabling included, never taken from the instance's cache of
   * verified tokens. A role taken away, or an account disabled, holds from the next admin request.
   */
  public HttpApi adminHttpApi(Router router) {
    return boundary(router, freshTokens);
  }

  private HttpApi boundary(Router router, TokenVerifier verifier) {
    return new HttpApi(
        router,
        verifier,
        appCheck,
        rateLimits,
        config.rateLimits().addressHop(),
        json,
        log,
        clock,
        ids,
        config.limits().maxRequestBytes(),
        config.corsOrigins(),
        config.edgeKey(),
        tracer);
  }

  /** The template of a Pub/Sub-triggered function, around what {@code body} does with a message. */
  public PubSubTrigger pubSubTrigger(String name, PubSubTrigger.Body body) {
    return pubSubTrigger(name, message -> Optional.empty(), body);
  }

  /**
   * As {@link #pubSubTrigger(String, PubSubTrigger.Body)}, for messages whose work belongs to a
   * trace they do not carry: {@code traceOf} names it.
   */
  public PubSubTrigger pubSubTrigger(
      String name, Function<PubSubMessage, Optional<String>> traceOf, PubSubTrigger.Body body) {
    return new PubSubTrigger(name, body, json, log, clock, tracer, traceOf);
  }

  /** Where the domain marks its stages as spans of the request's or message's trace. */
  public Tracer tracer() {
    return tracer;
  }

  /**
   * Dead letters, recorded in Firestore; the topic each came from is read from the subscription
   * that gave it up.
   */
  public DeadLetterService deadLetters() {
    return new DeadLetterService(
        adapters.deadLetters(),
        adapters.subscriptionTopics(),
        adapters.eventBus(),
        new AccessPolicy(),
        auditTrail(),
        clock,
        config.projectId());
  }

  /** Starting account deletions and saying how far they are: users, admin and the sweeper. */
  public AccountDeletionService accountDeletions() {
    return new AccountDeletionService(
        adapters.accountDeletions(),
        adapters.eventBus(),
        messages,
        userCache,
        new AccessPolicy(),
        auditTrail(),
        clock);
  }

  /** Asking for one's data and fetching it: users, and the sweeper's expiry. */
  public AccountExportService accountExports() {
    return new AccountExportService(
        adapters.accountExports(),
        adapters.objectStorage(),
        adapters.eventBus(),
        messages,
        config.filesBucket(),
        clock);
  }

  /** The audit log, {@code auditLog/{id}}, that every admin action runs inside. */
  public AuditTrail auditTrail() {
    return new AuditTrail(adapters.auditLog(), clock, ids);
  }

  /**
   * User records in Redis with this instance's copy in front; every function that changes a user
   * document evicts through it. {@link UserCache#NONE} without Redis or with the cache off.
   */
  public UserCache userCache() {
    return userCache;
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

  /** The domain's ports on Google Cloud, each built once, over clients created on first use. */
  public GcpAdapters adapters() {
    return adapters;
  }

  /** How messages are spelled on the wire. */
  public MessageCodec messages() {
    return messages;
  }

  public TokenVerifier tokens() {
    return tokens;
  }
}
