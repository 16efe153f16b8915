package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.cirrus.local.emulators.ProjectLayout;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway against a real in-process backend, routing from the real OpenAPI file. */
class GatewayTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicReference<String> seen = new AtomicReference<>();
  private HttpServer backend;
  private Gateway gateway;

  @BeforeEach
  void start() throws Exception {
    backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    backend.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          seen.set(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI()
                  + " auth="
                  + exchange.getRequestHeaders().getFirst("Authorization")
                  + " trace="
                  + (exchange.getRequestHeaders().getFirst("traceparent") != null)
                  + " body="
                  + body);
          byte[] out = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("ETag", "\"v1\"");
          exchange.sendResponseHeaders(201, out.length);
          try (OutputStream o = exchange.getResponseBody()) {
            o.write(out);
          }
        });
    backend.start();
    OpenApiRoutes routes =
        OpenApiRoutes.load(ProjectLayout.locate().root().resolve("infra/openapi.yaml"));
    gateway =
        new Gateway(
            routes,
            Map.of("users", URI.create("http://127.0.0.1:" + backend.getAddress().getPort())),
            0);
  }

  @AfterEach
  void stop() {
    gateway.close();
    backend.stop(0);
  }

  @Test
  void routedRequestKeepsMethodPathQueryHeadersAndBody() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/me/devices?x=1"))
                .header("Authorization", "Bearer abc")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.body()).isEqualTo("{\"ok\":true}");
    assertThat(response.headers().firstValue("ETag")).contains("\"v1\"");
    assertThat(seen.get())
        .isEqualTo("POST /v1/me/devices?x=1 auth=Bearer abc trace=true body={\"a\":1}");
  }

  @Test
  void pathParametersMatchOneSegment() throws Exception {
    HttpResponse<String> ok =
        http.send(
            HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/me/devices/abc"))
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(201);
    HttpResponse<String> deeper =
        http.send(
            HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/me/devices/a/b"))
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(deeper.statusCode()).isEqualTo(404);
  }

  @Test
  void undeclaredMethodIs405WithAllow() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/me")).DELETE().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).contains("GET");
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(seen.get()).isNull();
  }

  @Test
  void backendThatIsDownGives502Problem() throws Exception {
    backend.stop(0);
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/me")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).contains("\"code\":\"bad-gateway\"");
  }

  @Test
  void everyOperationRoutesToAKnownFunction() throws Exception {
    OpenApiRoutes routes =
        OpenApiRoutes.load(ProjectLayout.locate().root().resolve("infra/openapi.yaml"));
    assertThat(routes.operations()).isNotEmpty();
    assertThat(FunctionCatalog.functions())
        .extracting(FunctionSpec::name)
        .containsAll(routes.backends());
  }
}
