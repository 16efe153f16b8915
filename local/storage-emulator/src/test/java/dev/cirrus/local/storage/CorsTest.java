package dev.cirrus.local.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A web page on this machine (another port) can send its bytes to an upload session and read the
 * answer; a page from anywhere else, or a request addressed by a name that only resolves here (DNS
 * rebinding), gets nothing.
 */
class CorsTest {
  private static final String PAGE = "http://localhost:3000";
  private final HttpClient http = HttpClient.newHttpClient();
  private StorageEmulator emulator;
  private String session;

  @BeforeEach
  void start() throws Exception {
    emulator = StorageEmulator.inMemory(0);
    emulator.store().createBucket("web");
    HttpResponse<String> started =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        emulator.url()
                            + "/upload/storage/v1/b/web/o?uploadType=resumable&name=page.txt"))
                .header("X-Upload-Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    session = started.headers().firstValue("Location").orElseThrow();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void preflightForAPutToASessionIsAllowed() throws Exception {
    HttpResponse<String> preflight =
        http.send(
            HttpRequest.newBuilder(URI.create(session))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", PAGE)
                .header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "content-type, content-range")
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(preflight.statusCode()).isEqualTo(200);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains(PAGE);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods"))
        .hasValueSatisfying(m -> assertThat(m).contains("PUT"));
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers"))
        .contains("content-type, content-range");
  }

  @Test
  void aChunkFromAPageLetsThePageReadTheRangeHeader() throws Exception {
    HttpResponse<String> chunk =
        http.send(
            HttpRequest.newBuilder(URI.create(session))
                .header("Origin", PAGE)
                .header("Content-Range", "bytes 0-262143/*")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[256 * 1024]))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(chunk.statusCode()).isEqualTo(308);
    assertThat(chunk.headers().firstValue("Access-Control-Allow-Origin")).contains(PAGE);
    assertThat(chunk.headers().firstValue("Access-Control-Expose-Headers"))
        .hasValueSatisfying(h -> assertThat(h).contains("Range"));
  }

  @Test
  void requestsWithoutAnOriginGetNoCorsHeaders() throws Exception {
    HttpResponse<String> plain =
        http.send(
            HttpRequest.newBuilder(URI.create(emulator.url() + "/storage/v1/b/web")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void aPageFromAnotherSiteGetsNoPermission() throws Exception {
    HttpResponse<String> preflight =
        http.send(
            HttpRequest.newBuilder(URI.create(session))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "PUT")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(preflight.statusCode()).isEqualTo(403);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

    HttpResponse<String> simple =
        http.send(
            HttpRequest.newBuilder(URI.create(emulator.url() + "/storage/v1/b/web"))
                .header("Origin", "http://localhost.evil.example:3000")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(simple.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

    for (String local :
        new String[] {"http://127.0.0.1:5173", "https://localhost", "http://[::1]:8080"}) {
      HttpResponse<String> allowed =
          http.send(
              HttpRequest.newBuilder(URI.create(emulator.url() + "/storage/v1/b/web"))
                  .header("Origin", local)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
          .as(local)
          .contains(local);
    }
  }

  /** A raw request, since the JDK client will not let a caller choose the Host header. */
  private String statusLine(String path, String host) throws Exception {
    URI base = URI.create(emulator.url());
    try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
      socket
          .getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
          .readLine();
    }
  }

  @Test
  void aRequestAddressedToAnotherNameIsRefusedEvenOnLoopback() throws Exception {
    int port = URI.create(emulator.url()).getPort();
    for (String path : new String[] {"/storage/v1/b/web", "/_internal/healthz", "/retry_tests"}) {
      assertThat(statusLine(path, "rebound.evil.example:" + port)).as(path).contains(" 403");
      assertThat(statusLine(path, "localhost.evil.example")).as(path).contains(" 403");
    }
    assertThat(statusLine("/storage/v1/b/web", "localhost:" + port)).contains(" 200");
    assertThat(statusLine("/storage/v1/b/web", "127.0.0.1:" + port)).contains(" 200");
    assertThat(statusLine("/storage/v1/b/web", "[::1]:" + port)).contains(" 200");
    assertThat(statusLine("/_internal/healthz", "localhost")).contains(" 200");
  }

  private int post(String path, String contentType, String origin) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(emulator.url() + path))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"instructions\":{},\"transport\":\"HTTP\"}"));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (origin != null) {
      request.header("Origin", origin);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void aPageCannotResetTheStoreOrInjectFaultsWithARequestItMaySendUnasked() throws Exception {
    // What a form or fetch() with no-cors on any site can send to localhost without a preflight.
    for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", null}) {
      assertThat(post("/_internal/reset", type, null)).as("reset as " + type).isEqualTo(403);
      assertThat(post("/retry_test", type, null)).as("retry_test as " + type).isEqualTo(403);
    }
    assertThat(post("/_internal/reset", "application/json", "https://evil.example")).isEqualTo(403);
    assertThat(emulator.store().buckets()).as("nothing was reset").isNotEmpty();

    // This machine's programs send JSON, which a page could only send after a preflight.
    assertThat(post("/retry_test", "application/json", null)).isEqualTo(200);
    assertThat(post("/_internal/reset", "application/json", null)).isEqualTo(200);
  }
}
