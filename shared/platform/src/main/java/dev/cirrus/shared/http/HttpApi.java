package dev.cirrus.shared.http;

import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.cirrus.shared.appcheck.AppCheckGate;
import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.auth.TokenVerifier;
import dev.cirrus.shared.error.BadRequest;
import dev.cirrus.shared.error.CirrusException;
import dev.cirrus.shared.error.PayloadTooLarge;
import dev.cirrus.shared.error.TooManyRequests;
import dev.cirrus.shared.error.Unauthenticated;
import dev.cirrus.shared.error.UnsupportedMediaType;
import dev.cirrus.shared.json.JsonCodec;
import dev.cirrus.shared.log.StructuredLogger;
import dev.cirrus.shared.log.TraceContext;
import dev.cirrus.shared.ratelimit.ClientAddress;
import dev.cirrus.shared.ratelimit.RateLimitGate;
import dev.cirrus.shared.tracing.Tracer;
import dev.cirrus.shared.tracing.Tracer.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The HTTP boundary every HTTPS function shares: request id, trace, CORS, routing, body limits,
 * token verification, JSON, problem+json errors and the access log line. The one catch-all for
 * unexpected failures lives here, and it logs. Each request is a server span, in the caller's trace
 * when it sent a valid {@code traceparent}; its log lines carry that span.
 */
public final class HttpApi {
  private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");
  private static final String PROBLEM_JSON = "application/problem+json";
  private static final String JSON = "application/json; charset=utf-8";

  /** Where the Firebase SDKs send the app's App Check token. */
  public static final String APP_CHECK_HEADER = "X-Firebase-AppCheck";

  private static final String APP_CHECK_FAILED = "app-check-failed";

  private final Router router;
  private final TokenVerifier tokens;
  private final AppCheckGate appCheck;
  private final RateLimitGate rateLimits;
  private final int addressHop;
  private final JsonCodec json;
  private final StructuredLogger log;
  private final Clock clock;
  private final Supplier<String> requestIds;
  private final long maxBodyBytes;
  private final EdgeGate edge;
  private final Cors cors;
  private final Tracer tracer;
  private final ProblemMapper problems = new ProblemMapper();

  public HttpApi(
      Router router,
      TokenVerifier tokens,
      AppCheckGate appCheck,
      RateLimitGate rateLimits,
      int addressHop,
      JsonCodec json,
      StructuredLogger log,
      Clock clock,
      Supplier<String> requestIds,
      long maxBodyBytes,
      String corsOrigins,
      Optional<String> edgeKey,
      Tracer tracer) {
    this.router = router;
    this.tokens = tokens;
    this.appCheck = appCheck;
    this.rateLimits = rateLimits;
    this.addressHop = addressHop;
    this.json = json;
    this.log = log;
    this.clock = clock;
    this.requestIds = requestIds;
    this.maxBodyBytes = maxBodyBytes;
    this.edge = new EdgeGate(edgeKey);
    this.cors = new Cors(corsOrigins, router);
    this.tracer = tracer;
  }

  public void serve(HttpRequest request, HttpResponse response) throws IOException {
    Instant started = clock.instant();
    String requestId = requestIds.get();
    // A malformed, oversized or hostile header is no trace: the request begins a new one.
    Optional<TraceContext> caller =
        TraceContext.parse(
            request.getFirstHeader("traceparent").orElse(null),
            request.getFirstHeader("X-Cloud-Trace-Context").orElse(null));
    Answer answer;
    Tracer.Span span =
        tracer.begin(request.getMethod(), Kind.SERVER, caller.map(TraceContext::toTraceparent));
    try {
      span.attribute("http.request.method", request.getMethod())
          .attribute("cirrus.request_id", requestId);
      answer = answer(request, response, requestId, caller, span);
    } finally {
      span.close();
      // Before the reply: Cloud Run lends the instance CPU only until the request is answered.
      tracer.flush();
    }
    response.setStatusCode(answer.status());
    if (answer.payload().length > 0) {
      response.setContentType(answer.contentType());
      try (OutputStream out = response.getOutputStream()) {
        out.write(answer.payload());
      }
    }
    log.access(
        answer.context(),
        answer.labels(),
        new StructuredLogger.HttpRequestLog(
            request.getMethod(),
            request.getUri(),
            answer.status(),
            Duration.between(started, clock.instant()),
            answer.payload().length,
            request.getFirstHeader("User-Agent").orElse(null),
            request.getFirstHeader("X-Forwarded-For").orElse(null)));
  }

  /** What a request is answered with, decided inside its span and written after it. */
  private record Answer(
      int status,
      byte[] payload,
      String contentType,
      StructuredLogger.Context context,
      Map<String, String> labels) {}

  private Answer answer(
      HttpRequest request,
      HttpResponse response,
      String requestId,
      Optional<TraceContext> caller,
      Tracer.Span span)
      throws IOException {
    Optional<String> traceparent = span.traceparent();
    StructuredLogger.Context context =
        new StructuredLogger.Context(
            requestId, traceparent.flatMap(t -> TraceContext.parse(t, null)).or(() -> caller));
    Map<String, String> accessLabels = new HashMap<>();
    String path = request.getPath();
    response.appendHeader("X-Request-Id", requestId);
    // Every answer is JSON about one caller: a browser must not sniff it into something else, and
    // no cache between the app and the API may keep it (ETags serve the app's own revalidation).
    response.appendHeader("X-Content-Type-Options", "nosniff");
    response.appendHeader("Cache-Control", "no-store");
    cors.apply(request, response);

    int status;
    byte[] payload;
    String contentType = JSON;
    try {
      edge.check(request);
      Reply reply;
      if ("OPTIONS".equals(request.getMethod())) {
        reply = cors.preflight(path);
      } else {
        reply = dispatch(request, response, path, context, accessLabels, span);
      }
      status = reply.status();
      reply.headers().forEach(response::appendHeader);
      payload = reply.body() == null ? new byte[0] : json.write(reply.body());
    } catch (CirrusException e) {
      status = problems.status(e);
      if (status >= 500) {
        span.failed(e);
        // The client gets a retryable 503; the log keeps what was behind it.
        log.error(context, e.detail(), e.getCause() != null ? e.getCause() : e);
      }
      payload = json.write(problems.toProblem(e, requestId));
      contentType = PROBLEM_JSON;
      if (e instanceof TooManyRequests limited) {
        long wait = RateLimitGate.seconds(limited.retryAfter());
        response.appendHeader("Retry-After", Long.toString(wait));
        response.appendHeader(
            "RateLimit-Policy",
            rateLimitPolicy(limited.policy(), limited.quota(), limited.window()));
        response.appendHeader("RateLimit", "\"" + limited.policy() + "\";r=0;t=" + wait);
      }
      if (e instanceof Unauthenticated && !APP_CHECK_FAILED.equals(e.code())) {
        response.appendHeader(
            "WWW-Authenticate", "Bearer realm=\"cirrus\", error=\"invalid_token\"");
      }
      if (status == 405) {
        response.appendHeader("Allow", String.join(", ", router.methodsFor(path)));
      }
    } catch (RuntimeException e) {
      span.failed(e);
      log.error(context, "unhandled failure on " + request.getMethod() + " " + path, e);
      status = 500;
      payload = json.write(problems.internal(requestId));
      contentType = PROBLEM_JSON;
    }

    span.attribute("http.response.status_code", Integer.toString(status));
    return new Answer(status, payload, contentType, context, accessLabels);
  }

  private Reply dispatch(
      HttpRequest request,
      HttpResponse response,
      String path,
      StructuredLogger.Context context,
      Map<String, String> accessLabels,
      Tracer.Span span)
      throws IOException {
    String requestId = context.requestId();
    // Read (bounded) before any refusal: a connection answered with its body unread is closed
    // by the server, and a client that reuses it sees no answer at all.
    byte[] raw = readBounded(request);
    Router.Match match = router.route(request.getMethod(), path);
    // Named for the route, never the path: ids stay out of span names.
    span.rename(request.getMethod() + " " + match.route().path())
        .attribute("http.route", match.route().path().toString());
    if (match.route().authenticated()) {
      // Before the ID token and before any Firestore or Cloud Storage work: the cheapest refusal.
      AppCheckGate.Verdict verdict =
          appCheck.check(match.route().routeClass(), request.getFirstHeader(APP_CHECK_HEADER));
      if (verdict.outcome() == AppCheckGate.Outcome.MISSING
          || verdict.outcome() == AppCheckGate.Outcome.INVALID) {
        // A label on the request's one access line, not a line of its own: in monitor mode
        // every request of an app without App Check would otherwise log twice.
        accessLabels.put("appCheck", verdict.outcome().name().toLowerCase(Locale.ROOT));
      }
    }
    Optional<Principal> principal =
        match.route().authenticated()
            ? Optional.of(authenticate(userCredential(request)))
            : Optional.empty();
    if (principal.isPresent()) {
      limit(request, response, match.route(), principal.get(), context);
    }
    byte[] body = checkBody(request, raw);
    Map<String, List<String>> query = queryOf(request);
    ApiRequest api =
        new ApiRequest(
            request.getMethod(),
            path,
            match.pathParams(),
            query,
            request::getFirstHeader,
            body,
            requestId,
            principal,
            span.traceparent(),
            json);
    return match.route().handler().handle(api);
  }

  /**
   * Spends one token of the caller's and of their address's budget for the route's class, still
   * before any Firestore or Cloud Storage work, and says what is left in the IETF RateLimit fields
   * (draft-ietf-httpapi-ratelimit-headers).
   */
  private void limit(
      HttpRequest request,
      HttpResponse response,
      Route route,
      Principal caller,
      StructuredLogger.Context context) {
    RateLimitGate.Verdict verdict =
        rateLimits.check(
            route.routeClass(),
            caller.uid(),
            ClientAddress.bucketOf(request.getFirstHeader("X-Forwarded-For"), addressHop));
    verdict
        .failure()
        .ifPresent(
            why ->
                log.warn(
                    context,
                    "rate limits failed open: " + why,
                    Map.of("rateLimit", "failed-open")));
    verdict
        .decision()
        .ifPresent(
            d -> {
              response.appendHeader(
                  "RateLimit-Policy",
                  rateLimitPolicy(
                      verdict.policy(), verdict.budget().capacity(), verdict.budget().refill()));
              response.appendHeader(
                  "RateLimit",
                  "\""
                      + verdict.policy()
                      + "\";r="
                      + d.remaining()
                      + ";t="
                      + RateLimitGate.seconds(d.reset()));
            });
  }

  private static String rateLimitPolicy(String name, long quota, Duration window) {
    return "\"" + name + "\";q=" + quota + ";w=" + window.toSeconds();
  }

  /**
   * The app's credential. Behind API Gateway, {@code Authorization} holds the gateway's own Google
   * ID token (it is what lets the gateway invoke the function) and the app's header has moved to
   * {@code X-Forwarded-Authorization}; a direct call carries it in {@code Authorization}. Either
   * way the token is verified here in full: the gateway's check and its {@code
   * X-Apigateway-Api-Userinfo} claims are never trusted on their own.
   */
  private static Optional<String> userCredential(HttpRequest request) {
    return request
        .getFirstHeader("X-Forwarded-Authorization")
        .or(() -> request.getFirstHeader("Authorization"));
  }

  private Principal authenticate(Optional<String> authorization) {
    String header =
        authorization.orElseThrow(
            () ->
                new Unauthenticated("missing-token", "an Authorization: Bearer token is required"));
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      throw new Unauthenticated(
          "missing-token", "the Authorization header must be 'Bearer <token>'");
    }
    return tokens.verify(header.substring(7).trim()).principal();
  }

  /**
   * The decoded query. The server decodes it on demand and throws for escapes that are not UTF-8
   * ({@code %FF}); that is the client's mistake, not ours.
   */
  private static Map<String, List<String>> queryOf(HttpRequest request) {
    try {
      return request.getQueryParameters();
    } catch (RuntimeException e) {
      throw BadRequest.malformedQuery("the query string is not valid percent-encoded UTF-8");
    }
  }

  /** The body, or its first {@code maxBodyBytes + 1} bytes when it is longer. */
  private byte[] readBounded(HttpRequest request) throws IOException {
    long declared = request.getContentLength();
    if (declared > maxBodyBytes) {
      return new byte[0]; // refused by checkBody; not worth reading
    }
    try (InputStream in = request.getInputStream()) {
      // Sized by the declared length: most requests (GET, DELETE) have none and allocate nothing.
      ByteArrayOutputStream buffer =
          new ByteArrayOutputStream((int) Math.max(0, Math.min(declared, maxBodyBytes)));
      byte[] chunk = new byte[declared == 0 ? 1 : 4096];
      int n;
      while ((n = in.read(chunk)) != -1) {
        buffer.write(chunk, 0, n);
        if (buffer.size() > maxBodyBytes) {
          break;
        }
      }
      return buffer.toByteArray();
    }
  }

  private byte[] checkBody(HttpRequest request, byte[] body) {
    if (request.getContentLength() > maxBodyBytes || body.length > maxBodyBytes) {
      throw new PayloadTooLarge("the body may be at most " + maxBodyBytes + " bytes");
    }
    if (body.length > 0) {
      if (!BODY_METHODS.contains(request.getMethod())) {
        throw BadRequest.malformedBody(request.getMethod() + " takes no body");
      }
      String type = request.getContentType().orElse("").toLowerCase(Locale.ROOT);
      if (!type.equals("application/json") && !type.startsWith("application/json;")) {
        throw new UnsupportedMediaType("the body must be application/json");
      }
    }
    return body;
  }
}
