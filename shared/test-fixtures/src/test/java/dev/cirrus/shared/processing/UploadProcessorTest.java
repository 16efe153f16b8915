package dev.cirrus.shared.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.adapter.memory.InMemoryEventClaims;
import dev.cirrus.shared.adapter.memory.InMemoryFileStore;
import dev.cirrus.shared.adapter.memory.InMemoryObjectStorage;
import dev.cirrus.shared.adapter.memory.InMemoryUploadStore;
import dev.cirrus.shared.adapter.memory.InMemoryUserCache;
import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.config.Limits;
import dev.cirrus.shared.config.UploadPolicy;
import dev.cirrus.shared.error.Unavailable;
import dev.cirrus.shared.events.StorageObjectEvent;
import dev.cirrus.shared.events.Topics;
import dev.cirrus.shared.files.FileRecord;
import dev.cirrus.shared.json.JsonCodec;
import dev.cirrus.shared.json.JsonMessageCodec;
import dev.cirrus.shared.storage.ObjectRef;
import dev.cirrus.shared.storage.ObjectStorage;
import dev.cirrus.shared.testing.ForwardingObjectStorage;
import dev.cirrus.shared.testing.MutableClock;
import dev.cirrus.shared.testing.RecordingEventBus;
import dev.cirrus.shared.tracing.Tracer;
import dev.cirrus.shared.uploads.NewUpload;
import dev.cirrus.shared.uploads.Upload;
import dev.cirrus.shared.uploads.UploadCreated;
import dev.cirrus.shared.uploads.UploadService;
import dev.cirrus.shared.uploads.UploadStatus;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.Settings;
import dev.cirrus.shared.users.UserRecord;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The upload service and process-upload on the in-memory adapters, which pass the same contracts as
 * the Firestore and Cloud Storage ones: the rules in milliseconds, no emulator. {@code
 * UploadPipelineTest} runs the same flow on the real emulators.
 */
class UploadProcessorTest {
  private static final String UPLOADS = "uploads";
  private static final String FILES = "files";
  private static final long QUOTA = 10_000_000L;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
  private final InMemoryUploadStore uploads = new InMemoryUploadStore();
  private final InMemoryFileStore files = new InMemoryFileStore(uploads);
  private final InMemoryObjectStorage storage = new InMemoryObjectStorage(clock);
  private final InMemoryEventClaims claims = new InMemoryEventClaims();
  private final RecordingEventBus bus = new RecordingEventBus();
  private final InMemoryUserCache userCache =
      new InMemoryUserCache(clock, Duration.ofMinutes(2), Duration.ofSeconds(5));
  private final JsonMessageCodec messages = new JsonMessageCodec(new JsonCodec());
  private final UploadPolicy policy = UploadPolicy.DEFAULTS;
  private final Principal alice = new Principal("alice", Optional.empty(), Set.of());
  private final UploadService service =
      new UploadService(
          uploads,
          storage,
          bus,
          messages,
          clock,
          () -> UUID.randomUUID().toString(),
          policy,
          UPLOADS,
          Limits.DEFAULTS.withDefaultQuota(QUOTA));

  private UploadProcessor processor() {
    return new UploadProcessor(
        new UploadProcessor.Ports(
            uploads, userCache, claims, storage, bus, messages, clock, Tracer.NONE),
        new UploadProcessor.Settings(policy, UPLOADS, FILES, "test", Duration.ofSeconds(1)));
  }

  private Upload uploaded(String filename, String type, byte[] bytes) {
    UploadCreated created =
        service.create(
            alice,
            NewUpload.validate(filename, type, (long) bytes.length, null, null, policy),
            Optional.empty(),
            Optional.empty());
    assertThat(storage.upload(URI.create(created.uploadUrl()), bytes)).isTrue();
    return uploads.find(created.uploadId()).orElseThrow();
  }

  private StorageObjectEvent finalized(ObjectRef ref) {
    var object = storage.stat(ref).orElseThrow();
    return messages.readStorageObject(
        StorageObjectEvent.attributes(object), messages.storageObject(object));
  }

  @Test
  void theWorkAndItsAnnouncementContinueTheTraceOfTheRequestThatCreatedTheUpload() {
    String trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    byte[] text = "traced".getBytes(StandardCharsets.UTF_8);
    UploadCreated created =
        service.create(
            alice,
            NewUpload.validate("t.txt", "text/plain", (long) text.length, null, null, policy),
            Optional.empty(),
            Optional.of(trace));
    assertThat(storage.upload(URI.create(created.uploadUrl()), text)).isTrue();
    Upload upload = uploads.find(created.uploadId()).orElseThrow();
    var object = storage.stat(upload.object()).orElseThrow();

    // Cloud Storage's notification carries no traceparent.
    UploadProcessor.Handled handled =
        processor()
            .handleMessage(StorageObjectEvent.attributes(object), messages.storageObject(object));

    assertThat(handled.outcome()).isEqualTo(ProcessingOutcome.READY);
    assertThat(
            processor()
                .traceOf(StorageObjectEvent.attributes(object), messages.storageObject(object)))
        .contains(trace);
    assertThat(bus.on(Topics.FILE_EVENTS))
        .singleElement()
        .satisfies(m -> assertThat(m.attributes()).containsEntry("traceparent", trace));
  }

  @Test
  void aPhotoBecomesAReadyFileChargedOnceAndAnnouncedOnce() {
    byte[] photo = TestImages.jpeg(640, 480, null);
    Upload upload = uploaded("p.jpg", "image/jpeg", photo);
    StorageObjectEvent event = finalized(upload.object());
    userCache.remember(
        new UserRecord(
            "alice", Optional.empty(), Settings.DEFAULT, Quota.empty(QUOTA), clock.instant()));

    assertThat(processor().handle(event)).isEqualTo(ProcessingOutcome.READY);
    assertThat(userCache.find("alice")).as("the profile showing the old quota").isEmpty();
    assertThat(processor().handle(event)).isEqualTo(ProcessingOutcome.DUPLICATE);

    FileRecord file = files.find(upload.id()).orElseThrow();
    assertThat(file.image()).hasValueSatisfying(i -> assertThat(i.width()).isEqualTo(640));
    assertThat(file.thumbnails())
        .singleElement()
        .satisfies(t -> assertThat(t.width()).isEqualTo(256));
    assertThat(storage.stat(new ObjectRef(FILES, file.originalObject()))).isPresent();
    assertThat(storage.stat(upload.object())).as("quarantine emptied").isEmpty();
    assertThat(uploads.admission("alice", Quota.empty(0), clock.instant()).quota())
        .isEqualTo(new Quota(photo.length, 1, QUOTA));
    assertThat(bus.on(Topics.FILE_EVENTS)).hasSize(1);
  }

  @Test
  void aPdfDeclaredAsAPhotoIsRejectedAndChargesNothing() {
    byte[] pdf = "%PDF-1.4 not a photo".getBytes(StandardCharsets.US_ASCII);
    Upload upload = uploaded("p.jpg", "image/jpeg", pdf);

    assertThat(processor().handle(finalized(upload.object())))
        .isEqualTo(ProcessingOutcome.REJECTED);

    Upload after = uploads.find(upload.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(UploadStatus.REJECTED);
    assertThat(after.reason()).contains(Rejection.TYPE_MISMATCH);
    assertThat(uploads.reservedBytes("alice")).isZero();
    assertThat(bus.on(Topics.FILE_EVENTS))
        .singleElement()
        .satisfies(m -> assertThat(m.attributes()).containsEntry("type", "file.rejected"));
  }

  @Test
  void anUploadAbortedBeforeItsEventIsHandledGetsNothingWritten() {
    byte[] text = "hello".getBytes(StandardCharsets.US_ASCII);
    Upload upload = uploaded("a.txt", "text/plain", text);
    StorageObjectEvent event = finalized(upload.object());
    service.abort(alice, upload.id());

    assertThat(processor().handle(event)).isEqualTo(ProcessingOutcome.DUPLICATE);
    assertThat(
            storage.stat(
                new ObjectRef(FILES, FileRecord.objectPrefix("alice", upload.id()) + "original")))
        .isEmpty();
    assertThat(bus.on(Topics.FILE_EVENTS)).isEmpty();
  }

  @Test
  void bytesForAnExpiredUploadAreDeletedAndTheUploadExpires() {
    byte[] text = "late".getBytes(StandardCharsets.US_ASCII);
    Upload upload = uploaded("late.txt", "text/plain", text);
    StorageObjectEvent event = finalized(upload.object());
    clock.advance(policy.sessionTtl().plusDays(2));

    assertThat(processor().handle(event)).isEqualTo(ProcessingOutcome.EXPIRED);
    assertThat(uploads.find(upload.id()).orElseThrow().status()).isEqualTo(UploadStatus.EXPIRED);
    assertThat(storage.stat(upload.object())).isEmpty();
    assertThat(uploads.reservedBytes("alice")).isZero();
  }

  @Test
  void anObjectNoUploadClaimsIsDeletedAsAnOrphan() {
    ObjectRef stray = new ObjectRef(UPLOADS, Upload.objectName("alice", "no-such-upload"));
    storage.write(stray, "text/plain", new byte[] {1});

    assertThat(processor().handle(finalized(stray))).isEqualTo(ProcessingOutcome.ORPHAN);
    assertThat(storage.stat(stray)).isEmpty();
  }

  @Test
  void jpegBytesDeclaredAsTextAreRefusedFromTheirFirstBytesWithoutSpooling() {
    // The attack: declare text/plain, send bytes that begin FF D8 FF. Four at once used to spool
    // four whole objects into an instance's memory without asking the budget.
    SpoolBudget spools = new SpoolBudget(policy.maxUploadBytes(), Duration.ofSeconds(30));
    CountingReads reads = new CountingReads(storage);
    UploadProcessor processor = processor(reads, spools);
    byte[] disguised = padded(TestImages.jpeg(64, 64, null), 2 * 1024 * 1024);

    try (SpoolBudget.Reservation everything = spools.reserve(policy.maxUploadBytes())) {
      for (int i = 0; i < 4; i++) {
        Upload upload = uploaded("notes" + i + ".txt", "text/plain", disguised);
        long before = reads.bytes.get();

        assertThat(processor.handle(finalized(upload.object())))
            .isEqualTo(ProcessingOutcome.REJECTED);
        assertThat(uploads.find(upload.id()).orElseThrow().reason())
            .contains(Rejection.TYPE_MISMATCH);
        assertThat(reads.bytes.get() - before)
            .as("only the sniffed head is read")
            .isLessThanOrEqualTo(64 * 1024);
      }
    }
    assertThat(uploads.reservedBytes("alice")).isZero();
  }

  @Test
  void anImageIsSpooledOnlyWithRoomAndIsRetriedWhileThereIsNone() {
    SpoolBudget spools = new SpoolBudget(policy.maxUploadBytes(), Duration.ofMillis(50));
    CountingReads reads = new CountingReads(storage);
    UploadProcessor processor = processor(reads, spools);
    Upload upload = uploaded("p.jpg", "image/jpeg", TestImages.jpeg(640, 480, null));
    StorageObjectEvent event = finalized(upload.object());

    try (SpoolBudget.Reservation everything = spools.reserve(policy.maxUploadBytes())) {
      assertThatThrownBy(() -> processor.handle(event)).isInstanceOf(Unavailable.class);
    }
    assertThat(uploads.find(upload.id()).orElseThrow().status()).isNotEqualTo(UploadStatus.READY);

    assertThat(processor.handle(event)).isEqualTo(ProcessingOutcome.READY);
    assertThat(spools.freeBytes()).as("released after the spool").isGreaterThan(0);
  }

  private UploadProcessor processor(ObjectStorage storage, SpoolBudget spools) {
    return new UploadProcessor(
        new UploadProcessor.Ports(
            uploads, userCache, claims, storage, bus, messages, clock, Tracer.NONE),
        new UploadProcessor.Settings(policy, UPLOADS, FILES, "test", Duration.ofSeconds(1)),
        spools);
  }

  private static byte[] padded(byte[] head, int size) {
    byte[] bytes = new byte[size];
    new Random(7).nextBytes(bytes);
    System.arraycopy(head, 0, bytes, 0, head.length);
    return bytes;
  }

  /** The in-memory storage, counting the bytes process-upload reads from it. */
  private static final class CountingReads extends ForwardingObjectStorage {
    private final AtomicLong bytes = new AtomicLong();

    CountingReads(ObjectStorage delegate) {
      super(delegate);
    }

    @Override
    public InputStream read(ObjectRef ref, long generation) {
      return new FilterInputStream(super.read(ref, generation)) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          if (b >= 0) {
            bytes.incrementAndGet();
          }
          return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
          int n = super.read(buffer, offset, length);
          if (n > 0) {
            bytes.addAndGet(n);
          }
          return n;
        }
      };
    }
  }
}
