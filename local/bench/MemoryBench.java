import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.local.emulators.ProcessStats;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N concurrent image uploads of the largest allowed size through the running stack, sampling the
 * function host's resident memory and the bytes spooled in /tmp every 10 ms until all are ready.
 * Each image is a small JPEG carried by ~100 MB of APP15 segments: valid, the largest an upload may
 * be, and spooled whole for decoding.
 *
 * <p>Usage: java -cp CLASSPATH MemoryBench.java API_URL AUTH_HOST PROJECT HOST_PID [n=4] [MB=100]
 */
public class MemoryBench {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final long DEPLOYED_MIB = 512; // infra/functions.tf, process-upload

  public static void main(String[] a) throws Exception {
    String api = a[0], auth = a[1], project = a[2];
    long pid = Long.parseLong(a[3]);
    int n = a.length > 4 ? Integer.parseInt(a[4]) : 4;
    int megabytes = a.length > 5 ? Integer.parseInt(a[5]) : 100;
    byte[] image = largeJpeg(megabytes * 1024L * 1024 - 4096);
    String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(image));
    String token = signUp(auth);
    System.out.printf(
        "%d concurrent uploads of %.1f MiB (image/jpeg), function host pid %d%n",
        n, image.length / 1048576.0, pid);
    long before = ProcessStats.rssKib(pid);

    List<String> ids = new ArrayList<>();
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JsonNode session =
          json(
              call(
                  "POST",
                  api + "/v1/uploads",
                  token,
                  JSON.writeValueAsString(
                      Map.of(
                          "filename",
                          "big-" + i + ".jpg",
                          "contentType",
                          "image/jpeg",
                          "size",
                          image.length,
                          "md5",
                          md5))));
      ids.add(session.path("uploadId").asText());
      urls.add(session.path("uploadUrl").asText());
    }
    AtomicLong peakRss = new AtomicLong(), peakSpool = new AtomicLong(), peakSum = new AtomicLong();
    AtomicBoolean done = new AtomicBoolean();
    Thread sampler =
        new Thread(
            () -> {
              while (!done.get()) {
                try {
                  long rss = ProcessStats.rssKib(pid) * 1024, spool = spooledBytes();
                  peakRss.accumulateAndGet(rss, Math::max);
                  peakSpool.accumulateAndGet(spool, Math::max);
                  peakSum.accumulateAndGet(rss + spool, Math::max);
                  Thread.sleep(10);
                } catch (Exception e) {
                  return;
                }
              }
            });
    sampler.start();
    long t0 = System.nanoTime();
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    for (String url : urls) {
      puts.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  HTTP.send(
                      HttpRequest.newBuilder(URI.create(url))
                          .PUT(HttpRequest.BodyPublishers.ofByteArray(image))
                          .build(),
                      HttpResponse.BodyHandlers.discarding());
                } catch (Exception e) {
                  throw new RuntimeException(e);
                }
              }));
    }
    puts.forEach(CompletableFuture::join);
    for (String id : ids) {
      while (true) {
        String status =
            json(call("GET", api + "/v1/uploads/" + id, token, null)).path("status").asText();
        if (status.equals("ready") || status.equals("rejected") || status.equals("failed")) {
          if (!status.equals("ready")) System.out.println("  " + id + " ended " + status);
          break;
        }
        Thread.sleep(50);
      }
    }
    done.set(true);
    sampler.join();
    System.out.printf(
        "all %s in %.1f s%n", n == 1 ? "done" : "ready", (System.nanoTime() - t0) / 1e9);
    System.out.printf(
        "function host RSS before %d MiB, peak %d MiB%n", before / 1024, peakRss.get() >> 20);
    System.out.printf(
        "peak spooled in /tmp %d MiB (at most one largest upload at a time)%n",
        peakSpool.get() >> 20);
    System.out.printf(
        "peak RSS + spool %d MiB of %d MiB deployed (%.0f%%; goal: within it)%n",
        peakSum.get() >> 20, DEPLOYED_MIB, 100.0 * (peakSum.get() >> 20) / DEPLOYED_MIB);
  }

  /** A 64x48 JPEG behind APP15 segments of 64 KiB until it is {@code size} bytes long. */
  static byte[] largeJpeg(long size) throws Exception {
    java.awt.image.BufferedImage img =
        new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream small = new ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "jpeg", small);
    byte[] jpeg = small.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
    out.write(jpeg, 0, 2);
    byte[] body = new byte[65533];
    while (out.size() + 65537 + jpeg.length < size) {
      out.write(new byte[] {(byte) 0xFF, (byte) 0xEF, (byte) 0xFF, (byte) 0xFF});
      out.write(body);
    }
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  static long spooledBytes() throws Exception {
    long total = 0;
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(Path.of(System.getProperty("java.io.tmpdir")), "cirrus-scan*")) {
      for (Path f : files) {
        try {
          total += Files.size(f);
        } catch (Exception gone) {
          // deleted between the listing and the size
        }
      }
    }
    return total;
  }

  static String signUp(String auth) throws Exception {
    return json(HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://"
                            + auth
                            + "/identitytoolkit.googleapis.com/v1/accounts:signUp?key=fake-api-key"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"email\":\""
                            + UUID.randomUUID()
                            + "@example.com\",\"password\":\"secret123\",\"returnSecureToken\":true}"))
                .build(),
            HttpResponse.BodyHandlers.ofString()))
        .path("idToken")
        .asText();
  }

  static HttpResponse<String> call(String method, String url, String token, String body)
      throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) r.header("Content-Type", "application/json");
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    if (r.statusCode() >= 300) throw new IllegalStateException(r.statusCode() + " " + r.body());
    return JSON.readTree(r.body());
  }
}
