package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code local/status}'s numbers come from what the stack really did. */
@ExtendWith(RunningStack.class)
class LocalStatusFlowTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static LocalStack stack;
  private static StackApi api;

  @BeforeAll
  static void connect(RunningStack.Handle handle) {
    stack = handle.stack();
    api = new StackApi(stack);
  }

  private static HttpResponse<String> status(String query) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(stack.endpoints().statusUrl() + query)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void requestsAndAnUploadShowInTheStatusAsJsonAndAsText() throws Exception {
    JsonNode before = StackApi.json(status(""));
    long usersBefore = before.path("functions").path("users").path("requests").asLong();
    long readyBefore = before.path("pipeline").path("outcomes").path("READY").asLong();

    AuthEmulatorClient.User user = api.newUser();
    for (int i = 0; i < 3; i++) {
      assertThat(api.call("GET", "/v1/me", user.idToken(), null).statusCode()).isEqualTo(200);
    }
    api.readyTextFile(user, "status.txt");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              JsonNode now = StackApi.json(status(""));
              assertThat(now.path("functions").path("users").path("requests").asLong())
                  .isGreaterThanOrEqualTo(usersBefore + 3);
              assertThat(now.path("pipeline").path("outcomes").path("READY").asLong())
                  .isGreaterThanOrEqualTo(readyBefore + 1);
              long acked = 0;
              for (JsonNode sub : now.path("subscriptions")) {
                if (sub.path("topic").asText().equals("upload-finalized")) {
                  acked += sub.path("acked").asLong();
                }
              }
              assertThat(acked).as("finalize events delivered").isPositive();
            });
    HttpResponse<String> text = status("?format=text");
    assertThat(text.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(text.body()).contains("users").contains("uploads:").contains("subscription");
  }
}
