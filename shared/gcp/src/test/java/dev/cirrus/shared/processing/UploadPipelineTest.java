package dev.cirrus.shared.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import dev.cirrus.local.emulators.EmulatorsExtension;
import dev.cirrus.local.emulators.TestEmulators;
import dev.cirrus.local.storage.StorageEmulator;
import dev.cirrus.shared.adapter.firestore.FirestoreEventClaims;
import dev.cirrus.shared.adapter.firestore.FirestoreFileStore;
import dev.cirrus.shared.adapter.firestore.FirestoreUploadStore;
import dev.cirrus.shared.adapter.firestore.FirestoreUserStore;
import dev.cirrus.shared.adapter.gcp.GcpAdapters;
import dev.cirrus.shared.adapter.gcp.GcpClients;
import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.config.CirrusConfig;
import dev.cirrus.shared.config.Limits;
import dev.cirrus.shared.config.UploadPolicy;
import dev.cirrus.shared.error.Conflict;
import dev.cirrus.shared.events.EventBus;
import dev.cirrus.shared.events.FileEvent;
import dev.cirrus.shared.events.MessageCodec;
import dev.cirrus.shared.events.StorageObjectEvent;
import dev.cirrus.shared.events.Topics;
import dev.cirrus.shared.files.FileRecord;
import dev.cirrus.shared.files.FileService;
import dev.cirrus.shared.files.FileStore;
import dev.cirrus.shared.files.Thumbnail;
import dev.cirrus.shared.json.JsonCodec;
import dev.cirrus.shared.json.JsonMessageCodec;
import dev.cirrus.shared.storage.ObjectRef;
import dev.cirrus.shared.storage.ObjectStorage;
import dev.cirrus.shared.storage.StoredObject;
import dev.cirrus.shared.testing.FirestoreClients;
import dev.cirrus.shared.testing.MutableClock;
import dev.cirrus.shared.testing.RecordingEventBus;
import dev.cirrus.shared.testing.TestDigests;
import dev.cirrus.shared.tracing.Tracer;
import dev.cirrus.shared.uploads.Admission;
import dev.cirrus.shared.uploads.AdmissionRules;
import dev.cirrus.shared.uploads.NewUpload;
import dev.cirrus.shared.uploads.Upload;
import dev.cirrus.shared.uploads.UploadCreated;
import dev.cirrus.shared.uploads.UploadService;
import dev.cirrus.shared.uploads.UploadStatus;
import dev.cirrus.shared.uploads.UploadStore;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.UserCache;
import dev.cirrus.shared.users.UserRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The upload flow in the domain, on the real Firestore emulator and the project's Cloud Storage
 * emulator: sessions, processing, every rejection, duplicates and a crash half-way. Only the event
 * bus is a recorder, so effects can be counted exactly.
 */
@Tag("emulator")
@ExtendWith(EmulatorsExtension.class)
class UploadPipelineTest {
  private static final String UPLOADS = "pipeline-uploads";
  private static final String FILES = "pipeline-files";
  private static StorageEmulator emulator;
  private static final MessageCodec messages = new JsonMessageCodec(new JsonCodec());
  private static CirrusConfig config;
  private static GcpClients clients;
  private static GcpAdapters adapters;
  private static Storage client;
  private static final HttpClient http = HttpClient.newHttpClient();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-02T03:04:05Z"));
  private RecordingEventBus bus;
  private FirestoreUploadStore uploads;
  private ObjectStorage storage;
  private UploadService service;
  private Principal alice;

  @BeforeAll
  static void start(TestEmulators emulators) throws Exception {
    emulator = StorageEmulator.inMemory(0);
    emulator.store().createBucket(UPLOADS);
    emulator.store().createBucket(FILES);
    config =
        CirrusConfig.fromEnvironment(
            Map.of(
                "GOOGLE_CLOUD_PROJECT", emulators.projectId(),
                "FIRESTORE_EMULATOR_HOST", emulators.firestoreHost(),
                "CIRRUS_FIRESTORE_TRANSPORT", FirestoreClients.transport(),
                "STORAGE_EMULATOR_HOST", emulator.url(),
                "CIRRUS_UPLOADS_BUCKET", UPLOADS,
                "CIRRUS_FILES_BUCKET", FILES));
    clients = new GcpClients(config);
    adapters = new GcpAdapters(clients, config, new JsonCodec(), Clock.systemUTC());
    client = clients.storage().get();
  }

  @AfterAll
  static void stop() throws Exception {
    clients.close();
    emulator.close();
  }

  @BeforeEach
  void wire() {
    bus = new RecordingEventBus();
    uploads = new FirestoreUploadStore(clients.firestore());
    storage = adapters.objectStorage();
    service = service(10_000_000L, 20);
    alice = new Principal("alice-" + UUID.randomUUID(), Optional.of("alice@example.com"), Set.of());
  }

  private UploadService service(long quota, int maxPending) {
    return serviceOn(uploads, quota, maxPending);
  }

  private UploadService serviceOn(UploadStore store, long quota, int maxPending) {
    return serviceOn(store, storage, quota, maxPending);
  }

  private UploadService serviceOn(
      UploadStore store, ObjectStorage objects, long quota, int maxPending) {
    var policy = config.uploads();
    return new UploadService(
        store,
        objects,
        bus,
        messages,
        clock,
        () -> UUID.randomUUID().toString(),
        new UploadPolicy(
            policy.allowedTypes(),
            policy.maxUploadBytes(),
            maxPending,
            1_000_000L,
            policy.sessionTtl(),
            policy.claimLease()),
        UPLOADS,
        Limits.DEFAULTS.withDefaultQuota(quota));
  }

  private UploadProcessor processor(UploadStore store, Clock at) {
    return processor(store, at, bus);
  }

  private UploadProcessor processor(UploadStore store, Clock at, EventBus events) {
    var policy = config.uploads();
    return new UploadProcessor(
        new UploadProcessor.Ports(
            store,
            UserCache.NONE,
            new FirestoreEventClaims(clients.firestore()),
            storage,
            events,
            messages,
            at,
            Tracer.NONE),
        new UploadProcessor.Settings(
            new UploadPolicy(
                policy.allowedTypes(),
                policy.maxUploadBytes(),
                policy.maxPendingUploads(),
                10_000_000L,
                policy.sessionTtl(),
                Duration.ofSeconds(60)),
            UPLOADS,
            FILES,
            "test-" + UUID.randomUUID(),
            Duration.ofSeconds(20)));
  }

  private UploadProcessor processor() {
    return processor(uploads, clock);
  }

  /** Creates an upload for {@code declared} bytes and sends {@code sent} through its session. */
  private Upload uploadThroughSession(String filename, String type, byte[] bytes) throws Exception {
    UploadCreated created =
        service.create(
            alice,
            NewUpload.validate(
                filename,
                type,
                (long) bytes.length,
                TestDigests.md5(bytes),
                null,
                config.uploads()),
            Optional.empty(),
            Optional.empty());
    HttpResponse<String> put =
        http.send(
            HttpRequest.newBuilder(URI.create(created.uploadUrl()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    return uploads.find(created.uploadId()).orElseThrow();
  }

  /**
   * Creates an upload declaring {@code declared} but writes {@code landed} straight to its object.
   */
  private Upload uploadLanding(String type, long declaredSize, String declaredMd5, byte[] landed) {
    UploadCreated created =
        service.create(
            alice,
            NewUpload.validate("file", type, declaredSize, declaredMd5, null, config.uploads()),
            Optional.empty(),
            Optional.empty());
    Upload upload = uploads.find(created.uploadId()).orElseThrow();
    client.create(
        BlobInfo.newBuilder(UPLOADS, upload.object().name()).setContentType(type).build(), landed);
    return upload;
  }

  private StorageObjectEvent finalized(ObjectRef ref) {
    StoredObject object = storage.stat(ref).orElseThrow();
    return messages.readStorageObject(
        StorageObjectEvent.attributes(object), messages.storageObject(object));
  }

  private Quota quota() {
    UserRecord user =
        new FirestoreUserStore(clients.firestore())
            .findOrCreate(
                new UserRecord(
                    alice.uid(),
                    Optional.empty(),
                    dev.cirrus.shared.users.Settings.DEFAULT,
                    Quota.empty(0),
                    clock.instant()));
    return user.quota();
  }

  private boolean exists(String bucket, String name) {
    return client.get(BlobId.of(bucket, name)) != null;
  }

  /** An 800x600 photo whose bytes reached its session, and its finalize event. */
  private record Photo(byte[] bytes, Upload upload, StorageObjectEvent event) {}

  private Photo photoUploaded(String name) throws Exception {
    byte[] bytes = TestImages.jpeg(800, 600, null);
    Upload upload = uploadThroughSession(name, "image/jpeg", bytes);
    return new Photo(bytes, upload, finalized(upload.object()));
  }

  private void assertOneFileAnnouncedAndChargedOnce(Photo photo) {
    assertThat(bus.on(Topics.FILE_EVENTS)).hasSize(1);
    assertThat(quota()).isEqualTo(new Quota(photo.bytes().length, 1, 10_000_000L));
  }

  @Test
  void photoBecomesAFileWithItsMetadataThumbnailAndOneReadyEvent() throws Exception {
    byte[] photo =
        TestImages.jpeg(
            1200, 900, new TestImages.Exif(6, "Pixelmaker", "P9", "2024:05:06 07:08:09", true));
    Upload upload = uploadThroughSession("holiday.jpg", "image/jpeg", photo);
    assertThat(uploads.reservedBytes(alice.uid())).isEqualTo(photo.length);

    ProcessingOutcome outcome = processor().handle(finalized(upload.object()));

    assertThat(outcome).isEqualTo(ProcessingOutcome.READY);
    Upload after = uploads.find(upload.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(UploadStatus.READY);
    FileRecord file =
        new FirestoreFileStore(clients.firestore())
            .find(after.fileId().orElseThrow())
            .orElseThrow();
    assertThat(file.size()).isEqualTo(photo.length);
    assertThat(file.md5()).isEqualTo(TestDigests.md5(photo));
    assertThat(file.sha256())
        .isEqualTo(
            java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(photo)));
    assertThat(file.image())
        .hasValueSatisfying(
            i -> {
              assertThat(i.width()).isEqualTo(1200);
              assertThat(i.orientation()).isEqualTo(6);
              assertThat(i.cameraMake()).isEqualTo("Pixelmaker");
            });
    assertThat(file.thumbnails())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.width()).isEqualTo(192);
              assertThat(t.height()).isEqualTo(256);
            });
    assertThat(client.readAllBytes(BlobId.of(FILES, file.originalObject()))).isEqualTo(photo);
    assertThat(exists(FILES, file.thumbnails().get(0).objectName())).isTrue();
    assertThat(exists(UPLOADS, upload.object().name())).as("quarantine emptied").isFalse();
    assertThat(quota()).isEqualTo(new Quota(photo.length, 1, 10_000_000L));
    assertThat(bus.on(Topics.FILE_EVENTS))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.attributes()).containsEntry("type", FileEvent.READY);
              assertThat(m.body()).contains(upload.id()).contains(alice.uid());
            });
  }

  @Test
  void threeConcurrentDeliveriesMakeOneFileOneEventAndOneCharge() throws Exception {
    byte[] photo = TestImages.jpeg(2000, 1500, null);
    Upload upload = uploadThroughSession("a.jpg", "image/jpeg", photo);
    StorageObjectEvent event = finalized(upload.object());

    List<CompletableFuture<ProcessingOutcome>> deliveries = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      UploadProcessor each = processor(); // separate instances, as three function instances
      deliveries.add(CompletableFuture.supplyAsync(() -> each.handle(event)));
    }
    List<ProcessingOutcome> outcomes = deliveries.stream().map(CompletableFuture::join).toList();

    assertThat(outcomes)
        .containsExactlyInAnyOrder(
            ProcessingOutcome.READY, ProcessingOutcome.DUPLICATE, ProcessingOutcome.DUPLICATE);
    assertThat(bus.on(Topics.FILE_EVENTS)).hasSize(1);
    assertThat(quota()).isEqualTo(new Quota(photo.length, 1, 10_000_000L));
    assertThat(processor().handle(event)).isEqualTo(ProcessingOutcome.DUPLICATE);
    assertThat(bus.on(Topics.FILE_EVENTS)).hasSize(1);
  }

  @Test
  void deliveriesOfOneEventToOneInstanceAtOnceMakeOneFileAndOneEvent() throws Exception {
    Photo photo = photoUploaded("same-instance.jpg");
    UploadProcessor instance = processor(); // one function instance, several requests in flight
    List<CompletableFuture<ProcessingOutcome>> deliveries = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      deliveries.add(CompletableFuture.supplyAsync(() -> instance.handle(photo.event())));
    }

    assertThat(deliveries.stream().map(CompletableFuture::join))
        .containsExactlyInAnyOrder(
            ProcessingOutcome.READY,
            ProcessingOutcome.DUPLICATE,
            ProcessingOutcome.DUPLICATE,
            ProcessingOutcome.DUPLICATE);
    assertOneFileAnnouncedAndChargedOnce(photo);
  }

  @Test
  void crashBetweenTheCopyAndTheTransactionIsCompletedByTheRedelivery() throws Exception {
    Photo photo = photoUploaded("b.jpg");
    UploadStore dying =
        new ForwardingUploadStore(uploads) {
          @Override
          public Optional<FileRecord> promote(String id, FileRecord file, Instant now) {
            throw new ThreadDeath(); // the instance is killed: nothing runs after this point
          }
        };

    assertThatThrownBy(() -> processor(dying, clock).handle(photo.event()))
        .isInstanceOf(ThreadDeath.class);
    assertThat(uploads.find(photo.upload().id()).orElseThrow().status())
        .isEqualTo(UploadStatus.PROCESSING);
    assertThat(
            exists(FILES, FileRecord.objectPrefix(alice.uid(), photo.upload().id()) + "original"))
        .isTrue();
    assertThat(bus.on(Topics.FILE_EVENTS)).isEmpty();

    clock.advance(Duration.ofMinutes(2)); // the dead holder's lease runs out
    ProcessingOutcome redelivered = processor().handle(photo.event());

    assertThat(redelivered).isEqualTo(ProcessingOutcome.READY);
    assertThat(uploads.find(photo.upload().id()).orElseThrow().status())
        .isEqualTo(UploadStatus.READY);
    assertThat(quota()).isEqualTo(new Quota(photo.bytes().length, 1, 10_000_000L));
    assertThat(bus.on(Topics.FILE_EVENTS)).hasSize(1);
    assertThat(exists(UPLOADS, photo.upload().object().name())).isFalse();
  }

  private void assertRejected(Upload upload, String reason) {
    ProcessingOutcome outcome = processor().handle(finalized(upload.object()));
    assertThat(outcome).isEqualTo(ProcessingOutcome.REJECTED);
    Upload after = uploads.find(upload.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(UploadStatus.REJECTED);
    assertThat(after.reason()).contains(reason);
    assertThat(after.fileId()).isEmpty();
    assertThat(uploads.reservedBytes(alice.uid())).as("reservation released").isZero();
    assertThat(quota().usedBytes()).isZero();
    assertThat(exists(UPLOADS, upload.object().name())).as("quarantine emptied").isFalse();
    assertThat(bus.on(Topics.FILE_EVENTS))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.attributes()).containsEntry("type", FileEvent.REJECTED);
              assertThat(m.body()).contains("\"reason\":\"" + reason + "\"");
            });
  }

  @Test
  void executableRenamedToJpgIsRejected() throws Exception {
    byte[] exe = new byte[4096];
    exe[0] = 'M';
    exe[1] = 'Z';
    assertRejected(
        uploadThroughSession("cute-cat.jpg", "image/jpeg", exe), Rejection.TYPE_NOT_ALLOWED);
  }

  @Test
  void pdfDeclaredAsAnImageIsRejectedAsATypeMismatch() throws Exception {
    byte[] pdf = "%PDF-1.7\n1 0 obj\n<<>>\nendobj\n".getBytes();
    assertRejected(uploadThroughSession("scan.jpg", "image/jpeg", pdf), Rejection.TYPE_MISMATCH);
  }

  @Test
  void emptyObjectIsRejected() {
    assertRejected(uploadLanding("text/plain", 10, null, new byte[0]), Rejection.EMPTY);
  }

  @Test
  void truncatedUploadIsRejectedAsASizeMismatch() {
    assertRejected(
        uploadLanding("text/plain", 100, null, "only a part".getBytes()), Rejection.SIZE_MISMATCH);
  }

  @Test
  void bytesThatDoNotMatchTheDeclaredChecksumAreRejected() throws Exception {
    byte[] landed = "the bytes that arrived".getBytes();
    String declared = TestDigests.md5("the bytes that were sent".getBytes());
    assertRejected(
        uploadLanding("text/plain", landed.length, declared, landed), Rejection.CHECKSUM_MISMATCH);
  }

  @Test
  void truncatedJpegIsRejectedAsUnreadable() throws Exception {
    byte[] whole = TestImages.jpeg(640, 480, null);
    byte[] half = java.util.Arrays.copyOf(whole, whole.length / 2);
    assertRejected(
        uploadThroughSession("half.jpg", "image/jpeg", half), Rejection.IMAGE_UNREADABLE);
  }

  @Test
  void decompressionBombIsRejectedBeforeDecoding() throws Exception {
    // The processor here allows ten megapixels; the PNG declares 25.
    assertRejected(
        uploadThroughSession("bomb.png", "image/png", TestImages.pngDeclaring(5000, 5000)),
        Rejection.IMAGE_TOO_LARGE);
  }

  @Test
  void redeliveredRejectionIsNotAnnouncedTwice() throws Exception {
    byte[] exe = {0x7F, 'E', 'L', 'F', 2, 1, 1};
    Upload upload = uploadThroughSession("x.png", "image/png", exe);
    StorageObjectEvent event = finalized(upload.object());
    assertThat(processor().handle(event)).isEqualTo(ProcessingOutcome.REJECTED);
    assertThat(processor().handle(event)).isEqualTo(ProcessingOutcome.DUPLICATE);
    assertThat(bus.on(Topics.FILE_EVENTS)).hasSize(1);
  }

  @Test
  void objectThatNoUploadClaimsIsDeletedAndRecorded() {
    String name = Upload.objectName(alice.uid(), "no-such-upload");
    client.create(BlobInfo.newBuilder(UPLOADS, name).build(), new byte[] {1, 2, 3});

    assertThat(processor().handle(finalized(new ObjectRef(UPLOADS, name))))
        .isEqualTo(ProcessingOutcome.ORPHAN);
    assertThat(exists(UPLOADS, name)).isFalse();
    assertThat(bus.on(Topics.FILE_EVENTS)).isEmpty();
  }

  @Test
  void objectsOutsideUploadsAreLeftAlone() {
    client.create(BlobInfo.newBuilder(UPLOADS, "elsewhere/x").build(), new byte[] {1});
    client.create(BlobInfo.newBuilder(FILES, "uploads/a/b").build(), new byte[] {1});

    assertThat(processor().handle(finalized(new ObjectRef(UPLOADS, "elsewhere/x"))))
        .isEqualTo(ProcessingOutcome.IGNORED);
    assertThat(processor().handle(finalized(new ObjectRef(FILES, "uploads/a/b"))))
        .isEqualTo(ProcessingOutcome.IGNORED);
    assertThat(exists(UPLOADS, "elsewhere/x")).isTrue();
    assertThat(exists(FILES, "uploads/a/b")).isTrue();
  }

  @Test
  void messageThatIsNotAnObjectResourceIsDroppedAsMalformed() {
    assertThat(processor().handleMessage(Map.of(), "not json".getBytes()).outcome())
        .isEqualTo(ProcessingOutcome.MALFORMED);
    assertThat(processor().handleMessage(Map.of(), "{\"bucket\":\"b\"}".getBytes()).outcome())
        .isEqualTo(ProcessingOutcome.MALFORMED);
  }

  @Test
  void uploadBeyondTheQuotaIsRefusedAndReservesNothing() {
    UploadService small = service(1000, 20);
    small.create(
        alice,
        NewUpload.validate("a.txt", "text/plain", 600L, null, null, config.uploads()),
        Optional.empty(),
        Optional.empty());

    assertThatThrownBy(
            () ->
                small.create(
                    alice,
                    NewUpload.validate("b.txt", "text/plain", 600L, null, null, config.uploads()),
                    Optional.empty(),
                    Optional.empty()))
        .isInstanceOfSatisfying(
            Conflict.class, e -> assertThat(e.code()).isEqualTo("quota-exceeded"));
    assertThat(uploads.reservedBytes(alice.uid())).isEqualTo(600);
  }

  @Test
  void oneUsersParallelUploadsAllGetSessions() {
    NewUpload one = NewUpload.validate("p.txt", "text/plain", 100L, null, null, config.uploads());
    List<CompletableFuture<UploadCreated>> creates = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      creates.add(
          CompletableFuture.supplyAsync(
              () -> service.create(alice, one, Optional.empty(), Optional.empty())));
    }

    assertThat(
            creates.stream().map(CompletableFuture::join).map(UploadCreated::uploadId).distinct())
        .hasSize(8);
    assertThat(uploads.reservedBytes(alice.uid())).isEqualTo(800);
  }

  @Test
  void abandonedSessionsExpireAndGiveTheirRoomBack() {
    UploadService two = service(1000, 2);
    NewUpload big = NewUpload.validate("a.txt", "text/plain", 600L, null, null, config.uploads());
    UploadCreated first = two.create(alice, big, Optional.empty(), Optional.empty());
    two.create(
        alice,
        NewUpload.validate("b.txt", "text/plain", 1L, null, null, config.uploads()),
        Optional.empty(),
        Optional.empty());

    clock.advance(config.uploads().sessionTtl().plusMinutes(1));
    assertThat(two.get(alice, first.uploadId()).status()).isEqualTo("expired");
    UploadCreated third = two.create(alice, big, Optional.empty(), Optional.empty());

    assertThat(uploads.find(first.uploadId()).orElseThrow().status())
        .isEqualTo(UploadStatus.EXPIRED);
    assertThat(uploads.reservedBytes(alice.uid())).isEqualTo(600);
    assertThat(two.get(alice, third.uploadId()).status()).isEqualTo("pending");
  }

  @Test
  void tooManyPendingUploadsAreRefused() {
    UploadService two = service(10_000, 2);
    NewUpload one = NewUpload.validate("a.txt", "text/plain", 1L, null, null, config.uploads());
    two.create(alice, one, Optional.empty(), Optional.empty());
    two.create(alice, one, Optional.empty(), Optional.empty());

    assertThatThrownBy(() -> two.create(alice, one, Optional.empty(), Optional.empty()))
        .isInstanceOfSatisfying(
            Conflict.class, e -> assertThat(e.code()).isEqualTo("too-many-pending-uploads"));
  }

  @Test
  void completeChecksTheBytesAndPublishesTheFinalizeMessageIdempotently() throws Exception {
    UploadCreated created =
        service.create(
            alice,
            NewUpload.validate("c.txt", "text/plain", 5L, null, null, config.uploads()),
            Optional.empty(),
            Optional.empty());
    assertThatThrownBy(() -> service.complete(alice, created.uploadId(), Optional.empty()))
        .isInstanceOfSatisfying(
            Conflict.class, e -> assertThat(e.code()).isEqualTo("upload-incomplete"));

    http.send(
        HttpRequest.newBuilder(URI.create(created.uploadUrl()))
            .PUT(HttpRequest.BodyPublishers.ofString("hello"))
            .build(),
        HttpResponse.BodyHandlers.discarding());
    String trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    assertThat(service.complete(alice, created.uploadId(), Optional.of(trace)).status())
        .isEqualTo("uploaded");
    assertThat(service.complete(alice, created.uploadId(), Optional.empty()).status())
        .isEqualTo("uploaded");
    assertThat(bus.on(Topics.UPLOAD_FINALIZED)).as("at most once a minute").hasSize(1);
    clock.advance(Duration.ofSeconds(61));
    assertThat(service.complete(alice, created.uploadId(), Optional.empty()).status())
        .isEqualTo("uploaded");

    List<RecordingEventBus.Message> published = bus.on(Topics.UPLOAD_FINALIZED);
    assertThat(published).hasSize(2);
    StorageObjectEvent event =
        messages.readStorageObject(
            published.get(0).attributes(), published.get(0).body().getBytes());
    assertThat(event.size()).isEqualTo(5);
    assertThat(processor().handle(event)).isEqualTo(ProcessingOutcome.READY);
    assertThat(bus.on(Topics.FILE_EVENTS))
        .singleElement()
        .satisfies(
            m ->
                assertThat(m.attributes())
                    .as("one trace from upload to file.ready")
                    .containsEntry("traceparent", trace));
    StorageObjectEvent second =
        messages.readStorageObject(
            published.get(1).attributes(), published.get(1).body().getBytes());
    assertThat(processor().handle(second)).isEqualTo(ProcessingOutcome.DUPLICATE);
    assertThat(service.complete(alice, created.uploadId(), Optional.empty()).status())
        .isEqualTo("ready");
  }

  @Test
  void userAtTheLimitIsRefusedBeforeAnySessionIsOpened() {
    int[] sessions = {0};
    ObjectStorage counting =
        (ObjectStorage)
            java.lang.reflect.Proxy.newProxyInstance(
                ObjectStorage.class.getClassLoader(),
                new Class<?>[] {ObjectStorage.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("openResumableUpload")) {
                    sessions[0]++;
                  }
                  try {
                    return method.invoke(storage, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    UploadService small = serviceOn(uploads, counting, 1000, 1);
    NewUpload big = NewUpload.validate("a.txt", "text/plain", 600L, null, null, config.uploads());
    small.create(alice, big, Optional.empty(), Optional.empty());
    assertThat(sessions[0]).isEqualTo(1);

    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> small.create(alice, big, Optional.empty(), Optional.empty()))
          .isInstanceOf(Conflict.class);
    }
    assertThat(sessions[0]).as("refused requests opened no session").isEqualTo(1);
  }

  @Test
  void uploadAbortedBetweenTheReadAndTheAdvanceGetsNothingWritten() throws Exception {
    byte[] photo = TestImages.jpeg(640, 480, null);
    Upload upload = uploadThroughSession("late.jpg", "image/jpeg", photo);
    UploadStore abortingFirst =
        new ForwardingUploadStore(uploads) {
          @Override
          public Upload advance(String id, UploadStatus from, UploadStatus to, Instant now) {
            service.abort(alice, id); // the owner cancels just then
            return super.advance(id, from, to, now);
          }
        };

    ProcessingOutcome outcome = processor(abortingFirst, clock).handle(finalized(upload.object()));

    assertThat(outcome).isEqualTo(ProcessingOutcome.DUPLICATE);
    String prefix = FileRecord.objectPrefix(alice.uid(), upload.id());
    assertThat(exists(FILES, prefix + "original")).isFalse();
    assertThat(exists(FILES, prefix + Thumbnail.THUMB256 + ".jpg")).isFalse();
    assertThat(exists(UPLOADS, upload.object().name())).isFalse();
    assertThat(uploads.find(upload.id()).orElseThrow().status()).isEqualTo(UploadStatus.ABORTED);
    assertThat(uploads.reservedBytes(alice.uid())).isZero();
    assertThat(bus.on(Topics.FILE_EVENTS)).isEmpty();
  }

  @Test
  void bytesForAnUploadThatExpiredAreDeletedAndTheReservationReleasedOnce() throws Exception {
    byte[] text = "arrived days late".getBytes(StandardCharsets.UTF_8);
    Upload upload = uploadThroughSession("late.txt", "text/plain", text);
    StorageObjectEvent event = finalized(upload.object());
    clock.advance(config.uploads().sessionTtl().plusDays(3));

    ProcessingOutcome outcome = processor().handle(event);

    assertThat(outcome).isEqualTo(ProcessingOutcome.EXPIRED);
    assertThat(uploads.find(upload.id()).orElseThrow().status()).isEqualTo(UploadStatus.EXPIRED);
    assertThat(exists(UPLOADS, upload.object().name())).isFalse();
    assertThat(exists(FILES, FileRecord.objectPrefix(alice.uid(), upload.id()) + "original"))
        .isFalse();
    assertThat(uploads.reservedBytes(alice.uid())).isZero();
    assertThat(quota()).isEqualTo(new Quota(0, 0, 10_000_000L));
    assertThat(processor().handle(event))
        .as("a redelivery changes nothing")
        .isEqualTo(ProcessingOutcome.DUPLICATE);
    assertThat(quota()).isEqualTo(new Quota(0, 0, 10_000_000L));
  }

  @Test
  void bytesThatArriveJustBeforeTheUploadExpiresAreProcessed() throws Exception {
    byte[] text = "just in time".getBytes(StandardCharsets.UTF_8);
    Upload upload = uploadThroughSession("ontime.txt", "text/plain", text);
    StorageObjectEvent event = finalized(upload.object());
    clock.advance(config.uploads().sessionTtl().plusMinutes(10)); // a slow delivery

    assertThat(processor().handle(event)).isEqualTo(ProcessingOutcome.READY);
  }

  @Test
  void crashAfterThePromoteIsAnnouncedOnceByTheRedelivery() throws Exception {
    Photo photo = photoUploaded("p.jpg");
    EventBus dying =
        (topic, attributes, data) -> {
          throw new ThreadDeath(); // killed after the transaction, before the announcement
        };

    assertThatThrownBy(() -> processor(uploads, clock, dying).handle(photo.event()))
        .isInstanceOf(ThreadDeath.class);
    assertThat(uploads.find(photo.upload().id()).orElseThrow().status())
        .isEqualTo(UploadStatus.READY);
    assertThat(bus.on(Topics.FILE_EVENTS)).isEmpty();

    clock.advance(Duration.ofMinutes(2)); // the dead holder's lease runs out
    assertThat(processor().handle(photo.event())).isEqualTo(ProcessingOutcome.READY);
    assertThat(processor().handle(photo.event())).isEqualTo(ProcessingOutcome.DUPLICATE);

    assertThat(bus.on(Topics.FILE_EVENTS)).hasSize(1);
    assertThat(exists(UPLOADS, photo.upload().object().name())).isFalse();
    assertThat(quota()).isEqualTo(new Quota(photo.bytes().length, 1, 10_000_000L));
  }

  @Test
  void crashAfterTheAnnouncementIsNotAnnouncedAgain() throws Exception {
    Photo photo = photoUploaded("q.jpg");
    UploadStore dyingAfterTheMark =
        new ForwardingUploadStore(uploads) {
          @Override
          public void markAnnounced(String id, Instant now) {
            super.markAnnounced(id, now);
            throw new ThreadDeath(); // killed before the quarantined object is deleted
          }
        };

    assertThatThrownBy(() -> processor(dyingAfterTheMark, clock).handle(photo.event()))
        .isInstanceOf(ThreadDeath.class);
    assertThat(bus.on(Topics.FILE_EVENTS)).hasSize(1);
    assertThat(exists(UPLOADS, photo.upload().object().name())).isTrue();

    clock.advance(Duration.ofMinutes(2));
    assertThat(processor().handle(photo.event())).isEqualTo(ProcessingOutcome.READY);

    assertThat(bus.on(Topics.FILE_EVENTS)).hasSize(1);
    assertThat(exists(UPLOADS, photo.upload().object().name())).isFalse();
  }

  @Test
  void failedPublishReleasesTheClaimSoTheRedeliveryNeedNotWait() throws Exception {
    Photo photo = photoUploaded("r.jpg");
    EventBus down =
        (topic, attributes, data) -> {
          throw new IllegalStateException("Pub/Sub is unavailable");
        };

    assertThatThrownBy(() -> processor(uploads, clock, down).handle(photo.event()))
        .isInstanceOf(IllegalStateException.class);

    // No clock advance: the claim was given up, not left to expire.
    assertThat(processor().handle(photo.event())).isEqualTo(ProcessingOutcome.READY);
    assertOneFileAnnouncedAndChargedOnce(photo);
  }

  @Test
  void slowHolderWhoseLeaseRanOutLeavesOneFileOneEventAndOneCharge() throws Exception {
    Photo photo = photoUploaded("s.jpg");
    java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch resume = new java.util.concurrent.CountDownLatch(1);
    UploadStore slow =
        new ForwardingUploadStore(uploads) {
          @Override
          public Optional<FileRecord> promote(String id, FileRecord file, Instant now) {
            stalled.countDown();
            try {
              resume.await(); // a long GC pause, a slow network: the lease runs out meanwhile
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return super.promote(id, file, now);
          }
        };
    CompletableFuture<ProcessingOutcome> first =
        CompletableFuture.supplyAsync(() -> processor(slow, clock).handle(photo.event()));
    stalled.await();

    clock.advance(Duration.ofMinutes(2));
    ProcessingOutcome second = processor().handle(photo.event());
    resume.countDown();

    assertThat(second).isEqualTo(ProcessingOutcome.READY);
    assertThat(first.join()).isEqualTo(ProcessingOutcome.DUPLICATE);
    FileRecord file =
        new FirestoreFileStore(clients.firestore()).find(photo.upload().id()).orElseThrow();
    assertThat(client.readAllBytes(BlobId.of(FILES, file.originalObject())))
        .as("the late holder left the ready file's objects alone")
        .isEqualTo(photo.bytes());
    assertThat(exists(FILES, file.thumbnails().get(0).objectName())).isTrue();
    assertOneFileAnnouncedAndChargedOnce(photo);
  }

  @Test
  void twoInstancesCreatingForOneUserAtOnceNeverGoOverQuota() {
    // Two function instances: separate stores and Firestore clients, meeting only in Firestore.
    com.google.cloud.firestore.Firestore other =
        com.google.cloud.firestore.FirestoreOptions.newBuilder()
            .setProjectId(config.projectId())
            .setEmulatorHost(config.firestoreEmulatorHost().orElseThrow())
            .build()
            .getService();
    try {
      List<UploadService> instances =
          List.of(service(1000, 20), serviceOn(new FirestoreUploadStore(() -> other), 1000, 20));
      NewUpload hundred =
          NewUpload.validate("x.txt", "text/plain", 100L, null, null, config.uploads());
      List<CompletableFuture<Boolean>> creates = new ArrayList<>();
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(8);
      for (int i = 0; i < 16; i++) {
        UploadService instance = instances.get(i % 2);
        creates.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    instance.create(alice, hundred, Optional.empty(), Optional.empty());
                    return true;
                  } catch (Conflict refused) {
                    return false;
                  }
                },
                pool));
      }
      long admitted = creates.stream().map(CompletableFuture::join).filter(b -> b).count();
      pool.shutdown();

      assertThat(admitted).isEqualTo(10);
      assertThat(uploads.reservedBytes(alice.uid())).isEqualTo(1000);
    } finally {
      try {
        other.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void abortReleasesTheReservationOnceAndForbidsCompletion() {
    UploadCreated created =
        service.create(
            alice,
            NewUpload.validate("d.txt", "text/plain", 50L, null, null, config.uploads()),
            Optional.empty(),
            Optional.empty());

    service.abort(alice, created.uploadId());
    service.abort(alice, created.uploadId());

    assertThat(uploads.reservedBytes(alice.uid())).isZero();
    assertThat(service.get(alice, created.uploadId()).status()).isEqualTo("aborted");
    assertThatThrownBy(() -> service.complete(alice, created.uploadId(), Optional.empty()))
        .isInstanceOfSatisfying(
            Conflict.class, e -> assertThat(e.code()).isEqualTo("upload-aborted"));
  }

  @Test
  void othersUploadsAndFilesAreNotFound() throws Exception {
    Upload upload = uploadThroughSession("mine.txt", "text/plain", "mine".getBytes());
    processor().handle(finalized(upload.object()));
    Principal mallory = new Principal("mallory", Optional.empty(), Set.of());
    Principal admin = new Principal("root", Optional.empty(), Set.of(Principal.ADMIN));
    FileService files = fileService(new FirestoreFileStore(clients.firestore()));

    assertThatThrownBy(() -> service.get(mallory, upload.id()))
        .isInstanceOf(dev.cirrus.shared.error.NotFound.class);
    assertThatThrownBy(() -> files.get(mallory, upload.id()))
        .isInstanceOf(dev.cirrus.shared.error.NotFound.class);
    assertThatThrownBy(() -> files.delete(mallory, upload.id()))
        .isInstanceOf(dev.cirrus.shared.error.NotFound.class);
    assertThat(files.get(admin, upload.id()).ownerUid()).isEqualTo(alice.uid());
    assertThat(
            files
                .list(
                    admin,
                    Optional.of(alice.uid()),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty())
                .files())
        .extracting(f -> f.id())
        .containsExactly(upload.id());
    assertThatThrownBy(
            () ->
                files.list(
                    mallory,
                    Optional.of(alice.uid()),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty()))
        .isInstanceOf(dev.cirrus.shared.error.PermissionDenied.class);
  }

  private FileService fileService(FileStore repository) {
    return new FileService(repository, UserCache.NONE, storage, bus, messages, clock, FILES);
  }

  @Test
  void filesAreListedNewestFirstInPagesAndDeletedOnce() throws Exception {
    FileService files = fileService(new FirestoreFileStore(clients.firestore()));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Upload upload =
          uploadThroughSession("f" + i + ".txt", "text/plain", ("file " + i).getBytes());
      clock.advance(Duration.ofSeconds(1));
      processor().handle(finalized(upload.object()));
      ids.add(upload.id());
    }

    FileService.FileList first =
        files.list(alice, Optional.empty(), Optional.of("2"), Optional.empty(), Optional.empty());
    FileService.FileList second =
        files.list(
            alice,
            Optional.empty(),
            Optional.of("2"),
            Optional.ofNullable(first.nextPageToken()),
            Optional.empty());

    assertThat(first.files()).extracting(f -> f.id()).containsExactly(ids.get(2), ids.get(1));
    assertThat(second.files()).extracting(f -> f.id()).containsExactly(ids.get(0));
    assertThat(second.nextPageToken()).isNull();

    files.delete(alice, ids.get(0));
    files.delete(alice, ids.get(0));
    assertThat(
            bus.on(Topics.FILE_EVENTS).stream()
                .filter(m -> m.attributes().get("type").equals(FileEvent.DELETED)))
        .hasSize(1);
    assertThat(quota().fileCount()).isEqualTo(2);
    assertThat(
            files
                .list(alice, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty())
                .files())
        .hasSize(2);
    assertThat(exists(FILES, FileRecord.objectPrefix(alice.uid(), ids.get(0)) + "original"))
        .isFalse();
  }

  @Test
  void staleIfMatchIsAPreconditionFailure() throws Exception {
    FileStore repository = new FirestoreFileStore(clients.firestore());
    FileService files = fileService(repository);
    Upload upload = uploadThroughSession("old.txt", "text/plain", "x".getBytes());
    processor().handle(finalized(upload.object()));
    String etag = files.get(alice, upload.id()).etag();

    FileRecord renamed =
        files.update(
            alice,
            upload.id(),
            Optional.of(etag),
            Optional.of("new.txt"),
            Optional.of(List.of("a", "b", "a")));

    assertThat(renamed.filename()).isEqualTo("new.txt");
    assertThat(renamed.tags()).containsExactly("a", "b");
    assertThat(renamed.etag()).isNotEqualTo(etag);
    assertThatThrownBy(
            () ->
                files.update(
                    alice, upload.id(), Optional.of(etag), Optional.of("x"), Optional.empty()))
        .isInstanceOf(dev.cirrus.shared.error.PreconditionFailed.class);
  }

  /** Delegates everything; tests override the step they break. */
  private static class ForwardingUploadStore implements UploadStore {
    private final UploadStore delegate;

    ForwardingUploadStore(UploadStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public Upload create(Upload upload, UserRecord freshOwner, AdmissionRules rules) {
      return delegate.create(upload, freshOwner, rules);
    }

    @Override
    public Optional<Upload> find(String id) {
      return delegate.find(id);
    }

    @Override
    public long reservedBytes(String ownerUid) {
      return delegate.reservedBytes(ownerUid);
    }

    @Override
    public Upload advance(String id, UploadStatus from, UploadStatus to, Instant now) {
      return delegate.advance(id, from, to, now);
    }

    @Override
    public Upload abort(String id, UploadStatus terminal, Instant now) {
      return delegate.abort(id, terminal, now);
    }

    @Override
    public Optional<FileRecord> promote(String uploadId, FileRecord file, Instant now) {
      return delegate.promote(uploadId, file, now);
    }

    @Override
    public boolean reject(String uploadId, String reason, Instant now) {
      return delegate.reject(uploadId, reason, now);
    }

    @Override
    public List<Upload> recentOf(String ownerUid, int limit) {
      return delegate.recentOf(ownerUid, limit);
    }

    @Override
    public List<Upload> ofOwner(String ownerUid, int limit) {
      return delegate.ofOwner(ownerUid, limit);
    }

    @Override
    public void erase(String id) {
      delegate.erase(id);
    }

    @Override
    public List<Upload> expiredPending(Instant now, int limit) {
      return delegate.expiredPending(now, limit);
    }

    @Override
    public List<Upload> stuck(Instant before, int limit) {
      return delegate.stuck(before, limit);
    }

    @Override
    public Optional<Upload> recordRedrive(String id, Instant seen, Instant now) {
      return delegate.recordRedrive(id, seen, now);
    }

    @Override
    public Admission admission(String ownerUid, Quota fresh, Instant now) {
      return delegate.admission(ownerUid, fresh, now);
    }

    @Override
    public boolean claimFinalizeNotice(String id, Instant now, Duration every) {
      return delegate.claimFinalizeNotice(id, now, every);
    }

    @Override
    public void markAnnounced(String id, Instant now) {
      delegate.markAnnounced(id, now);
    }
  }
}
