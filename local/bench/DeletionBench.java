import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.NoCredentials;
import com.google.cloud.WriteChannel;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.WriteBatch;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.local.emulators.ProjectLayout;
import dev.cirrus.local.runner.FunctionCatalog;
import dev.cirrus.local.runner.LocalStack;
import dev.cirrus.local.runner.StackData;
import dev.cirrus.shared.adapter.gcp.GcpClients;
import dev.cirrus.shared.config.CirrusConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How long a data export, then an account deletion, take for a user with N files (uploaded through
 * the stack, so each is a real file document with its original in the files bucket and its upload
 * document), through the job as it runs in production (DELETE /v1/me, one bounded step per Pub/Sub
 * message), against a floor measured in the same run: a client that deletes another user's same
 * documents and objects directly (documents in batches of 500, objects one call each), with no job,
 * no pages and no checks.
 *
 * <p>Usage: java -cp ... local/bench/DeletionBench.java [files=1000]
 */
public class DeletionBench {
  static final String PROJECT = "demo-cirrus-bench";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    int files = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    Set<String> needed =
        Set.of("users", "uploads", "process-upload", "account-deletion", "account-export");
    Map<String, String> settings = new HashMap<>();
    for (String c : List.of("READS", "WRITES", "UPLOADS")) {
      settings.put("CIRRUS_RATE_" + c + "_PER_USER", "1000000/60s");
      settings.put("CIRRUS_RATE_" + c + "_PER_ADDRESS", "1000000/60s");
    }
    settings.put("CIRRUS_EDGE_REQUESTS_PER_MINUTE", "10000000");
    settings.put("CIRRUS_DAILY_UPLOAD_SESSIONS", Integer.toString(files * 2));
    try (LocalStack stack =
        LocalStack.start(
            ProjectLayout.locate(),
            PROJECT,
            LocalStack.Ports.free(),
            FunctionCatalog.functions().stream().filter(f -> needed.contains(f.name())).toList(),
            Files.createTempDirectory("cirrus-deletion-bench"),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            settings,
            LocalStack.Retry.AS_DEPLOYED,
            StackData.Seed.EMPTY)) {
      String api = stack.endpoints().apiUrl();
      AuthEmulatorClient auth = new AuthEmulatorClient(stack.endpoints().authHost(), PROJECT);
      AuthEmulatorClient.User job = auth.signUp(UUID.randomUUID() + "@example.com", "pw12345");
      AuthEmulatorClient.User floor = auth.signUp(UUID.randomUUID() + "@example.com", "pw12345");
      long t0 = System.nanoTime();
      upload(api, job, files);
      upload(api, floor, files);
      System.out.printf(
          "seeded 2 users x %d files through the stack in %.1f s%n",
          files, (System.nanoTime() - t0) / 1e9);
      // The project's own clients, set up for the emulator as the functions' are: loopback only.
      Firestore db =
          new GcpClients(
                  CirrusConfig.fromEnvironment(
                      Map.of(
                          "GOOGLE_CLOUD_PROJECT",
                          PROJECT,
                          "FIRESTORE_EMULATOR_HOST",
                          stack.endpoints().firestoreHost())))
              .firestore()
              .get();
      Storage storage =
          StorageOptions.newBuilder()
              .setHost(stack.endpoints().storageHost())
              .setProjectId(PROJECT)
              .setCredentials(NoCredentials.getInstance())
              .build()
              .getService();

      long start = System.nanoTime();
      String exportId = call(api, "POST", "/v1/me:export", job.idToken()).path("id").asText();
      JsonNode exported;
      while (true) {
        exported = call(api, "GET", "/v1/me/export", job.idToken());
        if ("ready".equals(exported.path("status").asText())) {
          break;
        }
        Thread.sleep(50);
      }
      double exportSeconds = (System.nanoTime() - start) / 1e9;
      start = System.nanoTime();
      long floorBytes = exportDirectly(db, storage, floor.uid());
      double exportFloorSeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "data export %s, %d files: job %.2f s (archive %d bytes, %d originals)%n",
          exportId,
          files,
          exportSeconds,
          exported.path("size").asLong(),
          exported.path("files").asLong());
      System.out.printf(
          "floor (read the same originals, write them into one streamed object, %d bytes): %.2f s%n",
          floorBytes, exportFloorSeconds);
      System.out.printf("ratio export job/floor: %.2f%n", exportSeconds / exportFloorSeconds);

      start = System.nanoTime();
      call(api, "DELETE", "/v1/me", job.idToken());
      DocumentReference record = db.collection("accountDeletions").document(job.uid());
      JsonNode done;
      while (true) {
        var doc = record.get().get();
        if (doc.exists() && "done".equals(doc.getString("phase"))) {
          done = JSON.valueToTree(doc.getData());
          break;
        }
        Thread.sleep(50);
      }
      double jobSeconds = (System.nanoTime() - start) / 1e9;

      start = System.nanoTime();
      int deleted = deleteDirectly(db, storage, floor.uid());
      double floorSeconds = (System.nanoTime() - start) / 1e9;

      System.out.printf(
          "account deletion, %d files: job %.2f s (erased %s)%n",
          files, jobSeconds, done.path("erased"));
      System.out.printf(
          "floor (direct batch deletes of the same %d documents and objects): %.2f s%n",
          deleted, floorSeconds);
      System.out.printf("ratio job/floor: %.2f%n", jobSeconds / floorSeconds);
      db.close();
      storage.close();
    }
  }

  static void upload(String api, AuthEmulatorClient.User user, int files) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> all = new ArrayList<>();
    for (int i = 0; i < files; i++) {
      int n = i;
      all.add(
          pool.submit(
              () -> {
                byte[] text = ("file " + n).getBytes(StandardCharsets.UTF_8);
                JsonNode session =
                    call(
                        api,
                        "POST",
                        "/v1/uploads",
                        user.idToken(),
                        JSON.writeValueAsString(
                            Map.of(
                                "filename",
                                "f" + n + ".txt",
                                "contentType",
                                "text/plain",
                                "size",
                                text.length)));
                HTTP.send(
                    HttpRequest.newBuilder(URI.create(session.path("uploadUrl").asText()))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(text))
                        .build(),
                    HttpResponse.BodyHandlers.discarding());
                String id = session.path("uploadId").asText();
                while (!call(api, "GET", "/v1/uploads/" + id, user.idToken())
                    .path("status")
                    .asText()
                    .equals("ready")) {
                  Thread.sleep(100);
                }
                return null;
              }));
    }
    for (Future<?> f : all) {
      f.get();
    }
    pool.shutdown();
  }

  /**
   * The least an export needs: the user's file documents read in one query, every original read,
   * and all of them written into one object through one resumable upload.
   */
  static long exportDirectly(Firestore db, Storage storage, String uid) throws Exception {
    List<QueryDocumentSnapshot> docs =
        db.collection("files").whereEqualTo("ownerUid", uid).get().get().getDocuments();
    long bytes = 0;
    BlobInfo target = BlobInfo.newBuilder(PROJECT + "-files", "floor/" + uid + ".tar").build();
    try (WriteChannel writer = storage.writer(target)) {
      for (QueryDocumentSnapshot doc : docs) {
        byte[] original =
            storage.readAllBytes(BlobId.of(PROJECT + "-files", doc.getString("originalObject")));
        writer.write(ByteBuffer.wrap(original));
        bytes += original.length;
      }
    }
    storage.delete(target.getBlobId());
    return bytes;
  }

  /** The least the work needs: every document and object of the user, deleted in batches. */
  static int deleteDirectly(Firestore db, Storage storage, String uid) throws Exception {
    int deleted = 0;
    for (String collection : List.of("files", "uploads")) {
      List<QueryDocumentSnapshot> docs =
          db.collection(collection).whereEqualTo("ownerUid", uid).get().get().getDocuments();
      for (int from = 0; from < docs.size(); from += 500) {
        WriteBatch batch = db.batch();
        docs.subList(from, Math.min(docs.size(), from + 500))
            .forEach(d -> batch.delete(d.getReference()));
        batch.commit().get();
      }
      deleted += docs.size();
    }
    List<BlobId> blobs = new ArrayList<>();
    for (Blob blob :
        storage
            .list(PROJECT + "-files", Storage.BlobListOption.prefix("files/" + uid + "/"))
            .iterateAll()) {
      blobs.add(blob.getBlobId());
    }
    // One call per object, as the job makes them (the emulator has no batch endpoint).
    for (BlobId blob : blobs) {
      storage.delete(blob);
    }
    db.collection("users").document(uid).delete().get();
    return deleted + blobs.size() + 1;
  }

  static JsonNode call(String api, String method, String path, String token) throws Exception {
    return call(api, method, path, token, null);
  }

  static JsonNode call(String api, String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api + path))
            .header("Authorization", "Bearer " + token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(
          method + " " + path + ": " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
