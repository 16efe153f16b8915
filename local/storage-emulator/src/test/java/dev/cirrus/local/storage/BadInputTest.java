package dev.cirrus.local.storage;

import static dev.cirrus.local.storage.RawRequests.assertError;
import static dev.cirrus.local.storage.RawRequests.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Requests no well-behaved client sends: each gets the real service's status and error body. */
class BadInputTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private StorageEmulator emulator;

  @BeforeEach
  void start() throws Exception {
    emulator = StorageEmulator.inMemory(0);
    emulator.store().createBucket("bad-input");
    send("POST", "/upload/storage/v1/b/bad-input/o?uploadType=media&name=ten", "0123456789", null);
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private HttpResponse<String> send(String method, String path, String body, String[] headers)
      throws Exception {
    return new RawRequests(emulator.url())
        .send(method, path, body, headers == null ? new String[0] : headers);
  }

  @Test
  void invalidObjectNamesAreRefused() throws Exception {
    assertError(
        send("POST", "/upload/storage/v1/b/bad-input/o?uploadType=media&name=.", "x", null), 400);
    assertError(
        send(
            "POST",
            "/upload/storage/v1/b/bad-input/o?uploadType=media&name=" + "a".repeat(1025),
            "x",
            null),
        400);
    assertError(
        send("POST", "/upload/storage/v1/b/bad-input/o?uploadType=media&name=a%0Ab", "x", null),
        400);
    assertError(send("POST", "/upload/storage/v1/b/bad-input/o?uploadType=media", "x", null), 400);
  }

  @Test
  void unsatisfiableRangesAre416AndTheObjectIsUntouched() throws Exception {
    HttpResponse<String> beyond =
        send(
            "GET",
            "/storage/v1/b/bad-input/o/ten?alt=media",
            null,
            new String[] {"Range", "bytes=50-60"});
    assertError(beyond, 416);
    assertThat(beyond.headers().firstValue("Content-Range")).contains("bytes */10");
    assertError(
        send(
            "GET",
            "/storage/v1/b/bad-input/o/ten?alt=media",
            null,
            new String[] {"Range", "bytes=9-2"}),
        416);
    HttpResponse<String> tail =
        send(
            "GET",
            "/storage/v1/b/bad-input/o/ten?alt=media",
            null,
            new String[] {"Range", "bytes=-3"});
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(tail.body()).isEqualTo("789");
  }

  @Test
  void unknownUploadSessionsAre404() throws Exception {
    assertError(
        send(
            "PUT",
            "/upload/storage/v1/b/bad-input/o?uploadType=resumable&upload_id=nope",
            "x",
            null),
        404);
  }

  @Test
  void anUploadLongerThanDeclaredIsRefusedAndStoresNothing() throws Exception {
    HttpResponse<String> start =
        send(
            "POST",
            "/upload/storage/v1/b/bad-input/o?uploadType=resumable&name=capped",
            "{}",
            new String[] {"X-Upload-Content-Length", "4", "Content-Type", "application/json"});
    String location = start.headers().firstValue("Location").orElseThrow();
    HttpResponse<String> tooLong =
        http.send(
            HttpRequest.newBuilder(URI.create(location))
                .header("Content-Range", "bytes 0-9/10")
                .PUT(HttpRequest.BodyPublishers.ofString("0123456789"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertError(tooLong, 400);
    assertError(send("GET", "/storage/v1/b/bad-input/o/capped", null, null), 404);
  }

  @Test
  void bytesThatDoNotMatchTheXGoogHashTheyCameWithAreRefusedAndStoreNothing() throws Exception {
    JsonNode ten = json(send("GET", "/storage/v1/b/bad-input/o/ten", null, null));
    String hashOfTen =
        "crc32c=" + ten.path("crc32c").asText() + ",md5=" + ten.path("md5Hash").asText();
    String media = "/upload/storage/v1/b/bad-input/o?uploadType=media&name=hashed";

    assertError(send("POST", media, "9876543210", new String[] {"X-Goog-Hash", hashOfTen}), 400);
    assertError(
        send(
            "POST",
            media,
            "0123456789",
            new String[] {
              "X-Goog-Hash",
              "md5=" + ten.path("md5Hash").asText(),
              "X-Goog-Hash",
              "md5=AAAAAAAAAAAAAAAAAAAAAA=="
            }),
        400);
    String session =
        send(
                "POST",
                "/upload/storage/v1/b/bad-input/o?uploadType=resumable&name=hashed",
                "{}",
                new String[] {"Content-Type", "application/json", "X-Upload-Content-Length", "10"})
            .headers()
            .firstValue("Location")
            .orElseThrow();
    HttpResponse<String> lastChunk =
        http.send(
            HttpRequest.newBuilder(URI.create(session))
                .header("X-Goog-Hash", hashOfTen)
                .PUT(HttpRequest.BodyPublishers.ofString("9876543210"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertError(lastChunk, 400);
    assertError(send("GET", "/storage/v1/b/bad-input/o/hashed", null, null), 404);

    HttpResponse<String> matching =
        send("POST", media, "0123456789", new String[] {"X-Goog-Hash", hashOfTen});
    assertThat(matching.statusCode()).as(matching.body()).isEqualTo(200);
    assertThat(json(matching).path("md5Hash").asText()).isEqualTo(ten.path("md5Hash").asText());
  }

  @Test
  void aGzipObjectGoesOutDecompressedAndWholeToClientsThatDoNotAcceptGzip() throws Exception {
    byte[] text = "plain words ".repeat(50).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream gzipped = new java.io.ByteArrayOutputStream();
    try (var out = new java.util.zip.GZIPOutputStream(gzipped)) {
      out.write(text);
    }
    HttpResponse<String> stored =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        emulator.url()
                            + "/upload/storage/v1/b/bad-input/o?uploadType=media&name=z.txt"
                            + "&contentEncoding=gzip"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzipped.toByteArray()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(json(stored).path("contentEncoding").asText()).isEqualTo("gzip");
    URI media = URI.create(emulator.url() + "/storage/v1/b/bad-input/o/z.txt?alt=media");

    HttpResponse<byte[]> plain =
        http.send(
            HttpRequest.newBuilder(media).header("Range", "bytes=0-9").build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.body()).isEqualTo(text);
    assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(plain.headers().firstValue("X-Goog-Stored-Content-Encoding")).hasValue("gzip");

    HttpResponse<byte[]> raw =
        http.send(
            HttpRequest.newBuilder(media).header("Accept-Encoding", "gzip").build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(raw.body()).isEqualTo(gzipped.toByteArray());
    assertThat(raw.headers().firstValue("Content-Encoding")).hasValue("gzip");
  }

  @Test
  void malformedJsonAndContentRangeAre400() throws Exception {
    assertError(send("POST", "/storage/v1/b", "{not json", null), 400);
    HttpResponse<String> start =
        send("POST", "/upload/storage/v1/b/bad-input/o?uploadType=resumable&name=r", "{}", null);
    String location = start.headers().firstValue("Location").orElseThrow();
    HttpResponse<String> garbled =
        http.send(
            HttpRequest.newBuilder(URI.create(location))
                .header("Content-Range", "bytes lots")
                .PUT(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertError(garbled, 400);
  }

  @Test
  void unknownBucketsAndObjectsAre404() throws Exception {
    assertError(send("GET", "/storage/v1/b/no-such-bucket", null, null), 404);
    assertError(send("GET", "/storage/v1/b/bad-input/o/missing", null, null), 404);
    assertError(send("DELETE", "/storage/v1/b/bad-input/o/missing", null, null), 404);
  }
}
