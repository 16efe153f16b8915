package dev.cirrus.shared.adapter.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.shared.error.Unavailable;
import dev.cirrus.shared.events.EventBus;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link EventBus} on Pub/Sub's REST API ({@code topics.publish}) over the JDK's HTTP client: a
 * function that publishes loads no gRPC, netty or protobuf code for it, which the client library's
 * Publisher would cost every cold start (~1,300 classes). Each publish waits for the server's
 * message id, so a message is never lost; transient failures are retried a few times, as the
 * Publisher retries them, and then reported as {@link Unavailable}.
 */
public final class RestPubSubEventBus implements EventBus {
  private static final int ATTEMPTS = 3;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Supplier<HttpClient> http;
  private final URI api;
  private final String project;
  private final Supplier<Optional<String>> accessToken;
  private final ObjectMapper mapper;

  /**
   * @param api {@code https://pubsub.googleapis.com}, or the emulator's {@code http://host:port}
   * @param accessToken a current OAuth token for each request; empty for the emulator
   */
  public RestPubSubEventBus(
      Supplier<HttpClient> http,
      URI api,
      String project,
      Supplier<Optional<String>> accessToken,
      ObjectMapper mapper) {
    this.http = http;
    this.api = api;
    this.project = project;
    this.accessToken = accessToken;
    this.mapper = mapper;
  }

  @Override
  public void publish(String topic, Map<String, String> attributes, byte[] data) {
    byte[] body;
    try {
      body =
          mapper.writeValueAsBytes(
              Map.of(
                  "messages",
                  List.of(
                      Map.of(
                          "data",
                          Base64.getEncoder().encodeToString(data),
                          "attributes",
                          attributes))));
    } catch (IOException e) {
      throw new IllegalStateException("a map of strings always serializes", e);
    }
    URI uri =
        api.resolve(
            "/v1/projects/"
                + URLEncoder.encode(project, StandardCharsets.UTF_8)
                + "/topics/"
                + URLEncoder.encode(topic, StandardCharsets.UTF_8)
                + ":publish");
    String failure = "";
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        accessToken.get().ifPresent(token -> request.header("Authorization", "Bearer " + token));
        HttpResponse<byte[]> response =
            http.get().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 200) {
          JsonNode ids = mapper.readTree(response.body()).path("messageIds");
          if (ids.size() == 1) {
            return;
          }
          failure = "an answer without a message id";
        } else {
          failure =
              "HTTP "
                  + response.statusCode()
                  + ": "
                  + new String(response.body(), StandardCharsets.UTF_8);
          if (!retryable(response.statusCode())) {
            break;
          }
        }
      } catch (IOException e) {
        failure = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Unavailable("interrupted while publishing to " + topic, e);
      }
      if (attempt < ATTEMPTS) {
        pause(attempt);
      }
    }
    throw new Unavailable("cannot publish to " + topic + ", try again (" + failure + ")", null);
  }

  /**
   * The HTTP forms of the codes Google's Pub/Sub client retries a publish on: ABORTED (409),
   * RESOURCE_EXHAUSTED (429), CANCELLED (499), INTERNAL, UNKNOWN, UNAVAILABLE, DEADLINE_EXCEEDED.
   */
  private static boolean retryable(int status) {
    return status == 409 || status == 429 || status == 499 || status >= 500;
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(100L << attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while publishing", e);
    }
  }
}
