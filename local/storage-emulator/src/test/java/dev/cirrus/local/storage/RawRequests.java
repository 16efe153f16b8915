package dev.cirrus.local.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Requests made by hand, for tests that reach below the clients (bodies and headers no client
 * sends), and the error shape the service answers them with.
 */
final class RawRequests {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final String url;

  /**
   * @param url the emulator's base URL
   */
  RawRequests(String url) {
    this.url = url;
  }

  /** Sends {@code body} (none when null) with the given header names and values. */
  HttpResponse<String> send(String method, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A JSON body, sent as such. */
  HttpResponse<String> sendJson(String method, String path, String body) throws Exception {
    return body == null
        ? send(method, path, null)
        : send(method, path, body, "Content-Type", "application/json");
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  /** The service's error shape: the status, in the body too, a reason and a message. */
  static void assertError(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    JsonNode error = json(response).path("error");
    assertThat(error.path("code").asInt()).isEqualTo(status);
    assertThat(error.path("errors").get(0).path("reason").asText()).isNotBlank();
    assertThat(error.path("message").asText()).isNotBlank();
  }

  /** As {@link #assertError(HttpResponse, int)}, with the reason the service gives. */
  static void assertError(HttpResponse<String> response, int status, String reason)
      throws Exception {
    assertError(response, status);
    assertThat(json(response).path("error").path("errors").get(0).path("reason").asText())
        .isEqualTo(reason);
  }
}
