package dev.cirrus.local.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.HttpMethod;
import com.google.cloud.storage.Storage;
import dev.cirrus.local.storage.signing.TrustedKeys;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** URLs signed by the Java client's {@code signUrl}, used with plain HTTP as apps use them. */
class SignedUrlTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private StorageEmulator emulator;
  private Storage storage;
  private ServiceAccountCredentials signer;

  @BeforeEach
  void start() throws Exception {
    try (InputStream key =
        Files.newInputStream(
            TestData.dir("gcs-v4-signatures").resolve("test_service_account.not-a-test.json"))) {
      signer = ServiceAccountCredentials.fromStream(key);
    }
    emulator =
        StorageEmulator.inMemory(
            0, new TrustedKeys().trustPrivateKeyPem(signer.getClientEmail(), pem(signer)));
    storage = TestData.javaClient(emulator);
    storage.create(BucketInfo.of("signed"));
  }

  private static String pem(ServiceAccountCredentials credentials) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + java.util.Base64.getMimeEncoder().encodeToString(credentials.getPrivateKey().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  @AfterEach
  void stop() throws Exception {
    storage.close();
    emulator.close();
  }

  private URL sign(String object, HttpMethod method, Map<String, String> headers) {
    return storage.signUrl(
        BlobInfo.newBuilder("signed", object).build(),
        15,
        TimeUnit.MINUTES,
        Storage.SignUrlOption.withV4Signature(),
        Storage.SignUrlOption.httpMethod(method),
        Storage.SignUrlOption.withExtHeaders(headers),
        Storage.SignUrlOption.withHostName(emulator.url()),
        Storage.SignUrlOption.signWith(signer));
  }

  @Test
  void signedPutThenSignedGetRoundTripTheBytes() throws Exception {
    URL put = sign("photo.jpg", HttpMethod.PUT, Map.of("Content-Type", "image/jpeg"));
    HttpResponse<String> stored =
        http.send(
            HttpRequest.newBuilder(put.toURI())
                .header("Content-Type", "image/jpeg")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3}))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
    assertThat(storage.get(BlobId.of("signed", "photo.jpg")).getContentType())
        .isEqualTo("image/jpeg");

    URL get = sign("photo.jpg", HttpMethod.GET, Map.of());
    HttpResponse<byte[]> read =
        http.send(
            HttpRequest.newBuilder(get.toURI()).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).containsExactly(1, 2, 3);
  }

  @Test
  void signedPutWhoseBytesDoNotMatchItsDigestHeadersIsBadDigest() throws Exception {
    BlobInfo reference =
        storage.create(BlobInfo.newBuilder("signed", "reference").build(), new byte[] {1, 2, 3});
    URL put = sign("checked.bin", HttpMethod.PUT, Map.of());

    HttpResponse<String> wrongMd5 =
        http.send(
            HttpRequest.newBuilder(put.toURI())
                .header("Content-MD5", reference.getMd5())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {4, 5, 6}))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrongMd5.statusCode()).isEqualTo(400);
    assertThat(wrongMd5.body()).contains("<Code>BadDigest</Code>");
    HttpResponse<String> wrongCrc =
        http.send(
            HttpRequest.newBuilder(put.toURI())
                .header("x-goog-hash", "crc32c=" + reference.getCrc32c())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {4, 5, 6}))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrongCrc.statusCode()).isEqualTo(400);
    assertThat(wrongCrc.body()).contains("<Code>BadDigest</Code>");
    assertThat(storage.get(BlobId.of("signed", "checked.bin"))).isNull();

    HttpResponse<String> matching =
        http.send(
            HttpRequest.newBuilder(put.toURI())
                .header("Content-MD5", reference.getMd5())
                .header(
                    "x-goog-hash", "crc32c=" + reference.getCrc32c() + ",md5=" + reference.getMd5())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3}))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(matching.statusCode()).as(matching.body()).isEqualTo(200);
    assertThat(storage.get(BlobId.of("signed", "checked.bin")).getMd5())
        .isEqualTo(reference.getMd5());
  }

  @Test
  void tamperedUrlIsSignatureDoesNotMatch() throws Exception {
    storage.create(BlobInfo.newBuilder("signed", "a.txt").build(), new byte[] {9});
    storage.create(BlobInfo.newBuilder("signed", "b.txt").build(), new byte[] {8});
    String url = sign("a.txt", HttpMethod.GET, Map.of()).toString().replace("/a.txt?", "/b.txt?");
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("<Code>SignatureDoesNotMatch</Code>");
  }

  @Test
  void signedUrlForOneMethodDoesNotAllowAnother() throws Exception {
    storage.create(BlobInfo.newBuilder("signed", "keep.txt").build(), new byte[] {7});
    URL get = sign("keep.txt", HttpMethod.GET, Map.of());
    HttpResponse<String> delete =
        http.send(
            HttpRequest.newBuilder(get.toURI()).DELETE().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(delete.statusCode()).isEqualTo(403);
    assertThat(storage.get(BlobId.of("signed", "keep.txt"))).isNotNull();
  }

  @Test
  void unsignedRequestsAreRefused() throws Exception {
    storage.create(BlobInfo.newBuilder("signed", "private.txt").build(), new byte[] {6});
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(emulator.url() + "/signed/private.txt")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("<Code>AccessDenied</Code>");
  }

  @Test
  void signedResumableStartThenPutCreatesTheObject() throws Exception {
    URL start = sign("video.mp4", HttpMethod.POST, Map.of("x-goog-resumable", "start"));
    HttpResponse<String> session =
        http.send(
            HttpRequest.newBuilder(start.toURI())
                .header("x-goog-resumable", "start")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(session.statusCode()).as(session.body()).isEqualTo(201);
    String location = session.headers().firstValue("Location").orElseThrow();
    HttpResponse<String> done =
        http.send(
            HttpRequest.newBuilder(URI.create(location))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {4, 5}))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(storage.readAllBytes(BlobId.of("signed", "video.mp4"))).containsExactly(4, 5);
  }
}
