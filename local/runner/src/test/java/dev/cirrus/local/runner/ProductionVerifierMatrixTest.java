package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.local.emulators.Emulators;
import dev.cirrus.local.emulators.LoopbackFunctionServer;
import dev.cirrus.local.emulators.ProjectLayout;
import dev.cirrus.local.runner.fixtures.ProductionVerifierFunction;
import dev.cirrus.shared.testing.FakeGoogleAuth;
import dev.cirrus.shared.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PrivateKey;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The part of the auth matrix the Auth emulator cannot play: with the production verifier (the
 * Admin SDK, RS256 against Google's keys, served offline), every operation of {@code openapi.yaml}
 * refuses unsigned ({@code alg: none}), re-signed and tampered tokens, and lets the same claims
 * through when Google's key signed them.
 */
class ProductionVerifierMatrixTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static LoopbackFunctionServer server;
  private static URI url;
  private static PrivateKey googleKey;
  private static OpenApiRoutes routes;

  @BeforeAll
  static void start() throws Exception {
    ProjectLayout layout = ProjectLayout.locate();
    googleKey = FakeGoogleAuth.signingKey();
    routes = OpenApiRoutes.load(layout.root().resolve("infra/openapi.yaml"));
    int port = Emulators.freePort();
    server =
        LoopbackFunctionServer.start(
            port,
            ProductionVerifierFunction.class.getName(),
            "http",
            ProductionVerifierMatrixTest.class.getClassLoader());
    url = URI.create("http://127.0.0.1:" + port);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void everyOperationTakesOnlyTokensGoogleSigned() throws Exception {
    int cells = 0;
    for (OpenApiRoutes.Operation op : routes.operations()) {
      String path = op.template().replaceAll("\\{[^}]+}", "x1");
      Map<String, Object> claims = claims();
      Map<String, String> refused = new LinkedHashMap<>();
      refused.put("no token", null);
      refused.put("alg: none", TestTokens.unsigned(claims));
      refused.put("signed by another key", sign(claims, TestTokens.newKey()));
      refused.put(
          "tampered after signing",
          TestTokens.withClaims(sign(claims, googleKey), "sub", "someone-else", "user_id", "x"));
      refused.put("a Google service account's token", sign(serviceAccount(), googleKey));
      for (Map.Entry<String, String> c : refused.entrySet()) {
        HttpResponse<String> r = call(op.method(), path, c.getValue());
        String label = op.method() + " " + op.template() + ", " + c.getKey();
        if (op.secured()) {
          assertThat(r.statusCode()).as(label + ": " + r.body()).isEqualTo(401);
          assertThat(r.headers().firstValue("Content-Type"))
              .as(label)
              .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
          assertThat(JSON.readTree(r.body()).path("code").asText())
              .as(label)
              .isIn("missing-token", "invalid-token");
        } else {
          assertThat(r.statusCode()).as(label).isEqualTo(200);
        }
        cells++;
      }
      HttpResponse<String> signed = call(op.method(), path, sign(claims, googleKey));
      JsonNode body = JSON.readTree(signed.body());
      assertThat(signed.statusCode()).as(op + ": " + signed.body()).isEqualTo(200);
      assertThat(body.path("reached").asText()).isEqualTo(op.secured() ? "user-1" : "anyone");
      cells++;
    }
    System.out.println(
        "production verifier matrix: "
            + routes.operations().size()
            + " operations, "
            + cells
            + " calls");
  }

  private static HttpResponse<String> call(String method, String path, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, Object> claims() {
    return TestTokens.firebaseClaims(ProductionVerifierFunction.PROJECT, "user-1");
  }

  private static Map<String, Object> serviceAccount() {
    return TestTokens.serviceAccountClaims(
        "api-gateway@" + ProductionVerifierFunction.PROJECT + ".iam.gserviceaccount.com",
        url.toString());
  }

  private static String sign(Map<String, Object> claims, PrivateKey key) {
    return TestTokens.signed(claims, key, FakeGoogleAuth.KID);
  }
}
