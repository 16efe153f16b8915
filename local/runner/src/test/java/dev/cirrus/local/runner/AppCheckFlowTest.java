package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.local.emulators.ProjectLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * App Check through the gateway, on a stack of its own that enforces it for reads and only monitors
 * writes: the token is minted by the stack's issuer as an app's App Check SDK would get one.
 */
class AppCheckFlowTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static LocalStack stack;
  private static StackApi api;

  @BeforeAll
  static void start() throws Exception {
    stack =
        LocalStack.start(
            ProjectLayout.locate(),
            RunningStack.PROJECT,
            LocalStack.Ports.free(),
            FunctionCatalog.functions().stream().filter(f -> f.name().equals("users")).toList(),
            Files.createTempDirectory("cirrus-app-check"),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            Map.of("CIRRUS_APP_CHECK", "monitor", "CIRRUS_APP_CHECK_READS", "enforce"),
            RunningStack.RETRY);
    api = new StackApi(stack);
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private static String mint(String appId) throws Exception {
    HttpResponse<String> minted =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(stack.endpoints().appCheckMintUrl() + "?appId=" + appId))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(minted.statusCode()).isEqualTo(200);
    return StackApi.JSON.readTree(minted.body()).path("token").asText();
  }

  @Test
  void enforcedRoutesRefuseAMissingOrForgedTokenAndServeAMintedOne() throws Exception {
    AuthEmulatorClient.User user = api.newUser();
    String minted = mint("1:123456789012:web:cirrus");
    String[] parts = minted.split("\\.");
    String forged = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 20) + "AAAA";

    for (Map<String, String> headers :
        List.of(Map.<String, String>of(), Map.of("X-Firebase-AppCheck", forged))) {
      HttpResponse<String> refused = api.call("GET", "/v1/me", user.idToken(), null, headers);
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
      JsonNode problem = StackApi.JSON.readTree(refused.body());
      assertThat(problem.path("code").asText()).isEqualTo("app-check-failed");
    }

    HttpResponse<String> served =
        api.call("GET", "/v1/me", user.idToken(), null, Map.of("X-Firebase-AppCheck", minted));
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(StackApi.JSON.readTree(served.body()).path("uid").asText()).isEqualTo(user.uid());
  }

  @Test
  void monitoredRoutesServeARequestWithoutAToken() throws Exception {
    AuthEmulatorClient.User user = api.newUser();
    HttpResponse<String> saved =
        api.call("PUT", "/v1/me/settings", user.idToken(), "{\"mutedTypes\":[]}");
    assertThat(saved.statusCode()).isEqualTo(200);
  }

  @Test
  void aValidAppCheckTokenDoesNotReplaceTheUsersOwn() throws Exception {
    HttpResponse<String> anonymous =
        api.call("GET", "/v1/me", null, null, Map.of("X-Firebase-AppCheck", mint("app")));
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(StackApi.JSON.readTree(anonymous.body()).path("code").asText())
        .isNotEqualTo("app-check-failed");
  }
}
