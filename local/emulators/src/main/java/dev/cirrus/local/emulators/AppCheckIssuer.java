package dev.cirrus.local.emulators;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local stack's App Check: its own RSA key, published as a JSON Web Key Set the way Firebase
 * publishes its own ({@code GET /v1/jwks}, with {@code Cache-Control: max-age}), and tokens minted
 * with it in the shape Firebase issues them (RS256, {@code typ} JWT, {@code iss}
 * https://firebaseappcheck.googleapis.com/&lt;project number&gt;, {@code aud} [projects/&lt;project
 * number&gt;, projects/&lt;project id&gt;], {@code sub} the app id). Functions trust it only in
 * {@code demo-} projects, where the stack points {@code CIRRUS_APP_CHECK_JWKS_URL} at it: it stands
 * in for a debug provider. {@code POST /v1/mint?appId=...} mints one for a test app.
 */
public final class AppCheckIssuer implements AutoCloseable {
  /**
   * The project number the local stack's App Check claims: demo projects have none of their own.
   */
  public static final String DEMO_PROJECT_NUMBER = "123456789012";

  private static final Duration TOKEN_TTL = Duration.ofHours(1);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeyPair keys;
  private final String kid = UUID.randomUUID().toString();
  private final String projectNumber;
  private final String projectId;
  private final LoopbackServer server;
  private final AtomicInteger jwksServed = new AtomicInteger();

  public AppCheckIssuer(int port, String projectNumber, String projectId) throws IOException {
    this.projectNumber = projectNumber;
    this.projectId = projectId;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      this.keys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is part of every JDK", e);
    }
    this.server =
        new LoopbackServer(
            port,
            "/",
            2,
            this::serve,
            (exchange, cause) -> answer(exchange, 500, "text/plain", "failed: " + cause, null));
  }

  public URI jwksUrl() {
    return URI.create("http://127.0.0.1:" + server.port() + "/v1/jwks");
  }

  public URI mintUrl() {
    return URI.create("http://127.0.0.1:" + server.port() + "/v1/mint");
  }

  /** A token for {@code appId}, valid for an hour from now. */
  public String mint(String appId) {
    Instant now = Instant.now();
    return mint(
        Map.of(
            "iss", "https://firebaseappcheck.googleapis.com/" + projectNumber,
            "aud", List.of("projects/" + projectNumber, "projects/" + projectId),
            "sub", appId,
            "iat", now.getEpochSecond(),
            "exp", now.plus(TOKEN_TTL).getEpochSecond()));
  }

  /** A token with exactly these claims, signed with the stack's key, for tests of bad tokens. */
  public String mint(Map<String, Object> claims) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "RS256");
    header.put("typ", "JWT");
    header.put("kid", kid);
    return sign(header, claims);
  }

  /** Signs {@code header} and {@code claims} as given, whatever they say. */
  public String sign(Map<String, Object> header, Map<String, Object> claims) {
    try {
      String signingInput =
          b64(JSON.writeValueAsBytes(header)) + "." + b64(JSON.writeValueAsBytes(claims));
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(keys.getPrivate());
      rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + b64(rs256.sign());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign an App Check token", e);
    }
  }

  /** How many times the key set was fetched. */
  public int jwksServed() {
    return jwksServed.get();
  }

  public String keyId() {
    return kid;
  }

  private void serve(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/v1/jwks") && exchange.getRequestMethod().equals("GET")) {
      jwksServed.incrementAndGet();
      RSAPublicKey key = (RSAPublicKey) keys.getPublic();
      Map<String, Object> jwk = new LinkedHashMap<>();
      jwk.put("kty", "RSA");
      jwk.put("use", "sig");
      jwk.put("alg", "RS256");
      jwk.put("kid", kid);
      jwk.put("n", b64(unsigned(key.getModulus().toByteArray())));
      jwk.put("e", b64(unsigned(key.getPublicExponent().toByteArray())));
      answer(
          exchange,
          200,
          "application/json",
          JSON.writeValueAsString(Map.of("keys", List.of(jwk))),
          "public, max-age=21600");
      return;
    }
    if (path.equals("/v1/mint") && exchange.getRequestMethod().equals("POST")) {
      String query = exchange.getRequestURI().getQuery();
      String appId =
          query != null && query.startsWith("appId=") ? query.substring(6) : "local-test-app";
      // The web app's custom provider calls this from its own origin; only demo projects use it.
      exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
      answer(
          exchange,
          200,
          "application/json",
          JSON.writeValueAsString(Map.of("token", mint(appId), "ttl", TOKEN_TTL.toSeconds() + "s")),
          "no-store");
      return;
    }
    answer(exchange, 404, "text/plain", "not found", null);
  }

  private static void answer(
      HttpExchange exchange, int status, String type, String body, String cacheControl)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    if (cacheControl != null) {
      exchange.getResponseHeaders().set("Cache-Control", cacheControl);
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static byte[] unsigned(byte[] twosComplement) {
    if (twosComplement.length > 1 && twosComplement[0] == 0) {
      byte[] trimmed = new byte[twosComplement.length - 1];
      System.arraycopy(twosComplement, 1, trimmed, 0, trimmed.length);
      return trimmed;
    }
    return twosComplement;
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public void close() {
    server.close();
  }
}
