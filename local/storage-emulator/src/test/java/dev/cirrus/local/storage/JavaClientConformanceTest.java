package dev.cirrus.local.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.paging.Page;
import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The emulator driven by Google's own Java client, over both storage backends: what the upload flow
 * needs of Cloud Storage, as a real client exercises it.
 */
class JavaClientConformanceTest {
  private StorageEmulator emulator;
  private Storage storage;
  private String bucket;

  private void start(String backend) throws Exception {
    emulator =
        backend.equals("memory")
            ? StorageEmulator.inMemory(0)
            : StorageEmulator.onDisk(0, Files.createTempDirectory("gcs-emulator"));
    storage = TestData.javaClient(emulator);
    bucket = "bucket-" + UUID.randomUUID().toString().substring(0, 8);
    storage.create(BucketInfo.of(bucket));
  }

  @AfterEach
  void stop() throws Exception {
    if (storage != null) {
      storage.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  private static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void multipartUploadRoundTripsBytesAndMetadata(String backend) throws Exception {
    start(backend);
    byte[] bytes = "hello, cirrus".getBytes(StandardCharsets.UTF_8);
    BlobInfo info =
        BlobInfo.newBuilder(bucket, "dir/hello.txt")
            .setContentType("text/plain")
            .setMetadata(Map.of("owner", "u1"))
            .build();
    Blob created = storage.create(info, bytes);
    assertThat(created.getSize()).isEqualTo(bytes.length);
    assertThat(created.getGeneration()).isPositive();
    assertThat(created.getMd5())
        .isEqualTo(
            Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes)));
    Blob fetched = storage.get(BlobId.of(bucket, "dir/hello.txt"));
    assertThat(fetched.getContentType()).isEqualTo("text/plain");
    assertThat(fetched.getMetadata()).containsEntry("owner", "u1");
    assertThat(fetched.getCrc32c()).isEqualTo(created.getCrc32c());
    assertThat(storage.readAllBytes(BlobId.of(bucket, "dir/hello.txt"))).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void resumableWriterWithChunksSmallerThanTheObject(String backend) throws Exception {
    start(backend);
    byte[] bytes = randomBytes(3 * 256 * 1024 + 123);
    try (WriteChannel writer =
        storage.writer(
            BlobInfo.newBuilder(bucket, "big.bin")
                .setContentType("application/octet-stream")
                .build())) {
      writer.setChunkSize(256 * 1024);
      for (int offset = 0; offset < bytes.length; offset += 100_000) {
        writer.write(ByteBuffer.wrap(bytes, offset, Math.min(100_000, bytes.length - offset)));
      }
    }
    assertThat(storage.get(BlobId.of(bucket, "big.bin")).getSize()).isEqualTo(bytes.length);
    assertThat(storage.readAllBytes(BlobId.of(bucket, "big.bin"))).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void rangedReadsReturnTheRequestedBytes(String backend) throws Exception {
    start(backend);
    byte[] bytes = randomBytes(10_000);
    storage.create(BlobInfo.newBuilder(bucket, "r.bin").build(), bytes);
    try (ReadChannel reader = storage.reader(BlobId.of(bucket, "r.bin"))) {
      reader.seek(5000);
      reader.limit(6000);
      ByteBuffer buffer = ByteBuffer.allocate(2000);
      int total = 0;
      int n;
      while ((n = reader.read(buffer)) > 0) {
        total += n;
      }
      assertThat(total).isEqualTo(1000);
      byte[] slice = new byte[1000];
      buffer.flip();
      buffer.get(slice);
      assertThat(slice).isEqualTo(java.util.Arrays.copyOfRange(bytes, 5000, 6000));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void doesNotExistPreconditionRefusesOverwritesWith412(String backend) throws Exception {
    start(backend);
    BlobInfo info = BlobInfo.newBuilder(bucket, "once").build();
    storage.create(info, new byte[] {1}, Storage.BlobTargetOption.doesNotExist());
    assertThatThrownBy(
            () -> storage.create(info, new byte[] {2}, Storage.BlobTargetOption.doesNotExist()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.getCode()).isEqualTo(412));
    assertThat(storage.readAllBytes(BlobId.of(bucket, "once"))).containsExactly(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void generationMatchGuardsReplacementAndDelete(String backend) throws Exception {
    start(backend);
    Blob first = storage.create(BlobInfo.newBuilder(bucket, "g").build(), new byte[] {1});
    Blob second =
        storage.create(
            BlobInfo.newBuilder(BlobId.of(bucket, "g", first.getGeneration())).build(),
            new byte[] {2},
            Storage.BlobTargetOption.generationMatch());
    assertThat(second.getGeneration()).isGreaterThan(first.getGeneration());
    assertThatThrownBy(
            () ->
                storage.delete(
                    BlobId.of(bucket, "g"),
                    Storage.BlobSourceOption.generationMatch(first.getGeneration())))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.getCode()).isEqualTo(412));
    assertThat(storage.get(BlobId.of(bucket, "g")).getGeneration())
        .isEqualTo(second.getGeneration());
    assertThat(storage.delete(BlobId.of(bucket, "g"))).isTrue();
    assertThat(storage.delete(BlobId.of(bucket, "g"))).isFalse();
    assertThat(storage.get(BlobId.of(bucket, "g"))).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void listingHonoursPrefixDelimiterAndPages(String backend) throws Exception {
    start(backend);
    for (String name : List.of("a/1", "a/2", "a/b/3", "c", "d")) {
      storage.create(BlobInfo.newBuilder(bucket, name).build(), new byte[] {0});
    }
    Page<Blob> dir =
        storage.list(
            bucket, Storage.BlobListOption.prefix("a/"), Storage.BlobListOption.currentDirectory());
    List<String> names =
        StreamSupport.stream(dir.iterateAll().spliterator(), false).map(Blob::getName).toList();
    assertThat(names).containsExactly("a/1", "a/2", "a/b/");
    Page<Blob> paged = storage.list(bucket, Storage.BlobListOption.pageSize(2));
    assertThat(paged.getValues()).hasSize(2);
    List<String> all =
        StreamSupport.stream(paged.iterateAll().spliterator(), false).map(Blob::getName).toList();
    assertThat(all).containsExactly("a/1", "a/2", "a/b/3", "c", "d");
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void declaredDigestsThatDoNotMatchAreRejectedAndNothingIsStored(String backend) throws Exception {
    start(backend);
    BlobInfo wrong =
        BlobInfo.newBuilder(bucket, "checked")
            .setMd5(Base64.getEncoder().encodeToString(new byte[16]))
            .build();
    assertThatThrownBy(
            () ->
                storage.createFrom(
                    wrong,
                    new java.io.ByteArrayInputStream(new byte[] {1, 2, 3}),
                    Storage.BlobWriteOption.md5Match()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.getCode()).isEqualTo(400));
    assertThat(storage.get(BlobId.of(bucket, "checked"))).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void aReplacedGenerationIsGoneForReadsDeletesAndCopies(String backend) throws Exception {
    start(backend);
    Blob first = storage.create(BlobInfo.newBuilder(bucket, "doc").build(), new byte[] {1});
    Blob second = storage.create(BlobInfo.newBuilder(bucket, "doc").build(), new byte[] {2});
    BlobId old = BlobId.of(bucket, "doc", first.getGeneration());
    BlobId live = BlobId.of(bucket, "doc", second.getGeneration());

    assertThat(storage.get(old)).isNull();
    assertThatThrownBy(() -> storage.readAllBytes(old))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    assertThatThrownBy(
            () -> storage.copy(Storage.CopyRequest.of(old, BlobId.of(bucket, "copy"))).getResult())
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    assertThat(storage.delete(old)).isFalse();

    assertThat(storage.readAllBytes(live)).containsExactly(2);
    storage.copy(Storage.CopyRequest.of(live, BlobId.of(bucket, "copy"))).getResult();
    assertThat(storage.readAllBytes(BlobId.of(bucket, "copy"))).containsExactly(2);
    assertThat(storage.delete(live)).isTrue();
    assertThat(storage.get(BlobId.of(bucket, "doc"))).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void gzipEncodedObjectsReadDecompressedUnlessRawIsAsked(String backend) throws Exception {
    start(backend);
    byte[] text = "hello, gzip ".repeat(100).getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream gzipped = new java.io.ByteArrayOutputStream();
    try (var out = new java.util.zip.GZIPOutputStream(gzipped)) {
      out.write(text);
    }
    BlobId id = BlobId.of(bucket, "page.txt");
    Blob created =
        storage.create(
            BlobInfo.newBuilder(id).setContentType("text/plain").setContentEncoding("gzip").build(),
            gzipped.toByteArray());
    assertThat(created.getSize()).isEqualTo(gzipped.size());
    assertThat(created.getContentEncoding()).isEqualTo("gzip");

    assertThat(storage.readAllBytes(id)).isEqualTo(text);
    assertThat(storage.readAllBytes(id, Storage.BlobSourceOption.shouldReturnRawInputStream(true)))
        .isEqualTo(gzipped.toByteArray());
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void bucketsFollowTheRealRules(String backend) throws Exception {
    start(backend);
    assertThat(storage.get(bucket).getName()).isEqualTo(bucket);
    assertThatThrownBy(() -> storage.create(BucketInfo.of(bucket)))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThatThrownBy(() -> storage.create(BucketInfo.of("Bad_Name!")))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.getCode()).isEqualTo(400));
    storage.create(BlobInfo.newBuilder(bucket, "x").build(), new byte[] {0});
    assertThatThrownBy(() -> storage.delete(bucket))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    storage.delete(BlobId.of(bucket, "x"));
    assertThat(storage.delete(bucket)).isTrue();
    assertThat(storage.get(bucket)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void copyRewriteAndComposeMakeIndependentObjects(String backend) throws Exception {
    start(backend);
    storage.create(
        BlobInfo.newBuilder(bucket, "part1").setContentType("text/plain").build(),
        "ab".getBytes(StandardCharsets.UTF_8));
    storage.create(
        BlobInfo.newBuilder(bucket, "part2").build(), "cd".getBytes(StandardCharsets.UTF_8));

    Blob copied =
        storage
            .copy(Storage.CopyRequest.of(BlobId.of(bucket, "part1"), BlobId.of(bucket, "copy")))
            .getResult();
    assertThat(copied.getContentType()).isEqualTo("text/plain");
    storage.delete(BlobId.of(bucket, "part1"));
    assertThat(storage.readAllBytes(BlobId.of(bucket, "copy")))
        .isEqualTo("ab".getBytes(StandardCharsets.UTF_8));

    Blob composed =
        storage.compose(
            Storage.ComposeRequest.newBuilder()
                .addSource("copy", "part2")
                .setTarget(BlobInfo.newBuilder(bucket, "whole").build())
                .build());
    assertThat(composed.getSize()).isEqualTo(4);
    assertThat(storage.readAllBytes(BlobId.of(bucket, "whole")))
        .isEqualTo("abcd".getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void aReadThatResumesAfterTheObjectWasReplacedFailsInsteadOfSplicing(String backend)
      throws Exception {
    start(backend);
    byte[] first = randomBytes(3 * 1024 * 1024);
    byte[] second = randomBytes(3 * 1024 * 1024 + 1);
    BlobId id = BlobId.of(bucket, "pinned.bin");
    storage.create(BlobInfo.newBuilder(id).build(), first);
    // The connection of the first read drops after 256 KiB; the client resumes from there.
    String retryTest =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(emulator.url() + "/retry_test"))
                    .header("Content-Type", "application/json")
                    .POST(
                        java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"instructions\":{\"storage.objects.get\":"
                                + "[\"return-broken-stream-after-256K\"]},\"transport\":\"HTTP\"}"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body()
            .replaceAll(".*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    Storage faulty =
        storage.getOptions().toBuilder()
            .setHeaderProvider(
                com.google.api.gax.rpc.FixedHeaderProvider.create("x-retry-test-id", retryTest))
            .build()
            .getService();
    java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
    try (faulty;
        ReadChannel reader = faulty.reader(id)) {
      ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
      while (read.size() < 64 * 1024) {
        buffer.clear();
        reader.read(buffer);
        read.write(buffer.array(), 0, buffer.position());
      }
      storage.create(BlobInfo.newBuilder(id).build(), second);
      assertThatThrownBy(
              () -> {
                while (true) {
                  buffer.clear();
                  if (reader.read(buffer) < 0) {
                    break;
                  }
                  read.write(buffer.array(), 0, buffer.position());
                }
              })
          .isInstanceOf(java.io.IOException.class)
          .cause()
          .isInstanceOfSatisfying(
              StorageException.class, e -> assertThat(e.getCode()).isIn(404, 412));
    }
    byte[] got = read.toByteArray();
    assertThat(got).isEqualTo(java.util.Arrays.copyOf(first, got.length));
    assertThat(storage.readAllBytes(id)).isEqualTo(second);
  }

  @ParameterizedTest
  @ValueSource(strings = {"disk"})
  void aRestartWithTheSameDirectoryKeepsEverything(String backend) throws Exception {
    java.nio.file.Path dir = Files.createTempDirectory("gcs-restart");
    try (StorageEmulator first = StorageEmulator.onDisk(0, dir)) {
      Storage client = TestData.javaClient(first);
      client.create(BucketInfo.of("kept"));
      client.create(
          BlobInfo.newBuilder("kept", "a/b.txt").setMetadata(Map.of("k", "v")).build(),
          "bytes".getBytes(StandardCharsets.UTF_8));
      client.create(BlobInfo.newBuilder("kept", "gone").build(), new byte[] {1});
      client.delete(BlobId.of("kept", "gone"));
      client.close();
    }
    try (StorageEmulator second = StorageEmulator.onDisk(0, dir)) {
      Storage client = TestData.javaClient(second);
      Blob kept = client.get(BlobId.of("kept", "a/b.txt"));
      assertThat(kept.getMetadata()).containsEntry("k", "v");
      assertThat(client.readAllBytes(BlobId.of("kept", "a/b.txt")))
          .isEqualTo("bytes".getBytes(StandardCharsets.UTF_8));
      assertThat(client.get(BlobId.of("kept", "gone"))).isNull();
      Blob next = client.create(BlobInfo.newBuilder("kept", "a/b.txt").build(), new byte[] {2});
      assertThat(next.getGeneration()).isGreaterThan(kept.getGeneration());
      client.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void theProjectsServiceAgentIsStableAndShapedAsTheServiceNamesIt(String backend)
      throws Exception {
    start(backend);
    com.google.cloud.storage.ServiceAccount first = storage.getServiceAccount("demo-cirrus");
    assertThat(first.getEmail())
        .matches("service-\\d{12}@gs-project-accounts\\.iam\\.gserviceaccount\\.com");
    assertThat(storage.getServiceAccount("demo-cirrus").getEmail()).isEqualTo(first.getEmail());
    assertThat(storage.getServiceAccount("demo-other").getEmail()).isNotEqualTo(first.getEmail());
  }
}
