package dev.cirrus.shared.processing;

import dev.cirrus.shared.config.UploadPolicy;
import dev.cirrus.shared.error.Unavailable;
import dev.cirrus.shared.events.EventBus;
import dev.cirrus.shared.events.FileEvent;
import dev.cirrus.shared.events.MalformedEvent;
import dev.cirrus.shared.events.MessageCodec;
import dev.cirrus.shared.events.StorageObjectEvent;
import dev.cirrus.shared.events.Topics;
import dev.cirrus.shared.files.FileRecord;
import dev.cirrus.shared.processing.EventClaims.State;
import dev.cirrus.shared.storage.ObjectStorage;
import dev.cirrus.shared.tracing.Tracer;
import dev.cirrus.shared.tracing.Tracer.Span;
import dev.cirrus.shared.uploads.Upload;
import dev.cirrus.shared.uploads.UploadStatus;
import dev.cirrus.shared.uploads.UploadStore;
import dev.cirrus.shared.users.UserCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code process-upload}: verifies, describes ({@link UploadVerifier}) and promotes one finished
 * upload, exactly once however often its event arrives.
 *
 * <p>Order matters for crash safety. The original is copied to the files bucket and the thumbnail
 * written first (both idempotent: same name, same bytes); then one transaction writes the file,
 * marks the upload ready and moves the quota; only then is the quarantined object deleted. A crash
 * anywhere leaves either nothing recorded (a redelivery redoes the idempotent steps) or a ready
 * upload whose leftovers the next delivery cleans up. The event's claim keeps concurrent deliveries
 * from doing the work twice, and is released on transient failures.
 */
public final class UploadProcessor {
  private static final Duration POLL = Duration.ofMillis(200);

  private final UploadStore uploads;
  private final UserCache users;
  private final EventClaims claims;
  private final ObjectStorage storage;
  private final EventBus events;
  private final MessageCodec messages;
  private final Clock clock;
  private final UploadPolicy policy;
  private final String uploadsBucket;
  private final String filesBucket;
  private final String holder;
  private final AtomicLong deliveries = new AtomicLong();
  private final Duration maxWait;
  private final UploadVerifier verifier;
  private final Tracer tracer;

  /**
   * What process-upload works with: the stores, the buckets' bytes, the bus, the clock, and where
   * its stages become spans.
   */
  public record Ports(
      UploadStore uploads,
      UserCache users,
      EventClaims claims,
      ObjectStorage storage,
      EventBus events,
      MessageCodec messages,
      Clock clock,
      Tracer tracer) {}

  /**
   * How it works.
   *
   * @param holder names this instance in claims, for the logs of whoever finds it holding one
   * @param maxWait how long a duplicate delivery waits for the holder to finish before asking to be
   *     redelivered later
   */
  public record Settings(
      UploadPolicy policy,
      String uploadsBucket,
      String filesBucket,
      String holder,
      Duration maxWait) {}

  public UploadProcessor(Ports ports, Settings settings) {
    // One upload of the largest size at a time, or several smaller ones: on Cloud Functions the
    // spool is memory. A delivery that waits longer than its claim's lease asks to come back.
    this(
        ports,
        settings,
        new SpoolBudget(
            settings.policy().maxUploadBytes(), settings.policy().claimLease().dividedBy(2)));
  }

  /** With the instance's spool budget given, so a test can hold part of it. */
  UploadProcessor(Ports ports, Settings settings, SpoolBudget spools) {
    this.uploads = ports.uploads();
    this.users = ports.users();
    this.claims = ports.claims();
    this.storage = ports.storage();
    this.events = ports.events();
    this.messages = ports.messages();
    this.clock = ports.clock();
    this.policy = settings.policy();
    this.uploadsBucket = settings.uploadsBucket();
    this.filesBucket = settings.filesBucket();
    this.holder = settings.holder();
    this.maxWait = settings.maxWait();
    this.tracer = ports.tracer();
    this.verifier = new UploadVerifier(storage, clock, policy, filesBucket, spools, tracer);
  }

  /** What one message came to, and why when it was a rejection. */
  public record Handled(ProcessingOutcome outcome, Optional<String> reason) {
    Handled(ProcessingOutcome outcome) {
      this(outcome, Optional.empty());
    }
  }

  /**
   * The trace that work on a message belongs to: its upload's (the request that created it), since
   * Cloud Storage's notification carries none. One read of the upload, before the claim.
   */
  public Optional<String> traceOf(Map<String, String> attributes, byte[] data) {
    try {
      StorageObjectEvent event = messages.readStorageObject(attributes, data);
      return traceOf(event, uploadOf(event));
    } catch (MalformedEvent e) {
      return Optional.empty();
    }
  }

  /** Decodes and handles one message; a message that cannot be decoded is recorded and dropped. */
  public Handled handleMessage(Map<String, String> attributes, byte[] data) {
    StorageObjectEvent event;
    try {
      event = messages.readStorageObject(attributes, data);
    } catch (MalformedEvent e) {
      return new Handled(ProcessingOutcome.MALFORMED);
    }
    return handleTraced(event);
  }

  /** The trace that work on {@code event} continues (see {@link Handled}). */
  private static Optional<String> traceOf(StorageObjectEvent event, Optional<Upload> upload) {
    return upload.flatMap(Upload::traceparent).or(event::traceparent);
  }

  public ProcessingOutcome handle(StorageObjectEvent event) {
    return handleTraced(event).outcome();
  }

  private Handled handleTraced(StorageObjectEvent event) {
    if (!event.eventType().equals(StorageObjectEvent.OBJECT_FINALIZE)
        || !event.ref().bucket().equals(uploadsBucket)
        || !event.ref().name().startsWith(Upload.OBJECT_PREFIX)) {
      // Never act on objects we write ourselves: no trigger loops.
      return new Handled(ProcessingOutcome.IGNORED);
    }
    // Each delivery is its own holder, so two deliveries of one event to one instance take turns
    // like deliveries to two instances do.
    String delivery = holder + "/" + deliveries.incrementAndGet();
    if (!acquire(event.key(), delivery)) {
      Optional<Upload> upload = uploadOf(event);
      cleanUp(event, upload);
      return new Handled(ProcessingOutcome.DUPLICATE);
    }
    try {
      // Read under the claim: a delivery that waited for another sees what that one left.
      Optional<Upload> upload = uploadOf(event);
      if (upload.isEmpty()) {
        storage.delete(event.ref(), event.generation());
        claims.finish(event.key(), delivery, "orphan", clock.instant());
        return new Handled(ProcessingOutcome.ORPHAN);
      }
      tracer.annotate("cirrus.upload_id", upload.get().id());
      ProcessingOutcome outcome = process(event, upload.get());
      claims.finish(
          event.key(), delivery, outcome.name().toLowerCase(Locale.ROOT), clock.instant());
      // Why, for the metric of rejections by reason: read back only for the rare rejection.
      Optional<String> reason =
          outcome == ProcessingOutcome.REJECTED
              ? uploads.find(upload.get().id()).flatMap(Upload::reason)
              : Optional.empty();
      return new Handled(outcome, reason);
    } catch (RuntimeException e) {
      claims.release(event.key(), delivery);
      throw e;
    }
  }

  /** The upload the object belongs to, if the object is where that upload put it. */
  private Optional<Upload> uploadOf(StorageObjectEvent event) {
    return Upload.parseObjectName(event.ref().name())
        .flatMap(parts -> uploads.find(parts[1]).filter(u -> u.ownerUid().equals(parts[0])))
        .filter(u -> u.object().equals(event.ref()));
  }

  /** Claims the event, waiting a while for another holder; false when it is already done. */
  private boolean acquire(String key, String delivery) {
    long deadline = System.nanoTime() + maxWait.toNanos();
    while (true) {
      State state = claims.claim(key, delivery, clock.instant(), policy.claimLease());
      if (state == State.ACQUIRED) {
        return true;
      }
      if (state == State.DONE) {
        return false;
      }
      if (System.nanoTime() > deadline) {
        throw new Unavailable("another delivery is processing " + key + "; try again later", null);
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Unavailable("interrupted while waiting for " + key, e);
      }
    }
  }

  private ProcessingOutcome process(StorageObjectEvent event, Upload upload) {
    switch (upload.status()) {
      case READY -> {
        // A crash after the transaction: finish what the holder could not.
        announceOnce(upload, FileEvent.READY, null, event);
        storage.delete(event.ref(), event.generation());
        return ProcessingOutcome.READY;
      }
      case REJECTED -> {
        announceOnce(upload, FileEvent.REJECTED, upload.reason().orElse("unknown"), event);
        storage.delete(event.ref(), event.generation());
        return ProcessingOutcome.REJECTED;
      }
      case ABORTED, EXPIRED, FAILED -> {
        storage.delete(event.ref(), event.generation());
        return ProcessingOutcome.DUPLICATE;
      }
      default -> {
        // pending, uploaded or processing: the work below
      }
    }
    if (upload.expiredAt(clock.instant().minus(Upload.LATE_FINALIZE))) {
      // Cloud Storage keeps a session a week, the upload lives a day: bytes may arrive for an
      // upload that has expired. They are not kept, and expiring releases the reservation once.
      // The grace covers a finalize message that was redelivered for a while.
      Upload now = uploads.abort(upload.id(), UploadStatus.EXPIRED, clock.instant());
      if (now.status() != UploadStatus.EXPIRED) {
        return process(event, now);
      }
      storage.delete(event.ref(), event.generation());
      return ProcessingOutcome.EXPIRED;
    }
    if (upload.status() != UploadStatus.PROCESSING) {
      Upload now =
          uploads.advance(upload.id(), upload.status(), UploadStatus.PROCESSING, clock.instant());
      if (now.status() != UploadStatus.PROCESSING) {
        // Aborted, expired or finished since it was read: handle it as it is now, before any
        // byte is written to the files bucket.
        return process(event, now);
      }
    }
    FileRecord file;
    try {
      file = verifier.verifyAndCopy(event, upload);
    } catch (Rejection rejection) {
      boolean rejected;
      try (Span record = tracer.start("record")) {
        rejected = uploads.reject(upload.id(), rejection.reason(), clock.instant());
        record.outcome("rejected").attribute("cirrus.reason", rejection.reason());
      }
      if (rejected) {
        announce(upload, FileEvent.REJECTED, rejection.reason(), Optional.empty(), event);
      }
      storage.delete(event.ref(), event.generation());
      return ProcessingOutcome.REJECTED;
    }
    Optional<FileRecord> promoted;
    try (Span record = tracer.start("record")) {
      promoted = uploads.promote(upload.id(), file, clock.instant());
      // The quota changed; also on a duplicate, whose first delivery may have died before this.
      users.evict(upload.ownerUid());
      record.outcome(promoted.isPresent() ? "ready" : "duplicate");
    }
    if (promoted.isPresent()) {
      announce(upload, FileEvent.READY, null, promoted, event);
    } else {
      discardUnlessReady(upload, file);
    }
    storage.delete(event.ref(), event.generation());
    return promoted.isPresent() ? ProcessingOutcome.READY : ProcessingOutcome.DUPLICATE;
  }

  /**
   * The upload became final while this delivery worked (another holder whose lease outlived ours,
   * or an abort). If it is ready, the objects just written are its own (same names, same bytes) and
   * stay; otherwise nobody will ever reference them.
   */
  private void discardUnlessReady(Upload upload, FileRecord written) {
    Optional<Upload> now = uploads.find(upload.id());
    if (now.isPresent() && now.get().status() == UploadStatus.READY) {
      return;
    }
    written.objects(filesBucket).forEach(storage::delete);
  }

  /** A duplicate delivery of a handled event: make sure the quarantined bytes are gone. */
  private void cleanUp(StorageObjectEvent event, Optional<Upload> upload) {
    if (upload.isEmpty() || upload.get().status().isFinal()) {
      storage.delete(event.ref(), event.generation());
    }
  }

  /** A redelivery's announcement: only if no delivery before it got as far. */
  private void announceOnce(Upload upload, String type, String reason, StorageObjectEvent cause) {
    if (upload.announcedAt().isEmpty()) {
      announce(upload, type, reason, Optional.empty(), cause);
    }
  }

  /**
   * Publishes on file-events, carrying the cause's trace so one trace follows the file, and records
   * that it did. A crash between the two can still repeat the message; its stable {@code eventId}
   * lets subscribers drop it.
   */
  private void announce(
      Upload upload,
      String type,
      String reason,
      Optional<FileRecord> file,
      StorageObjectEvent cause) {
    Instant now = clock.instant();
    FileEvent event =
        switch (type) {
          case FileEvent.READY ->
              file.map(f -> FileEvent.ready(upload, f, now))
                  .orElseGet(() -> FileEvent.readyAgain(upload, now));
          case FileEvent.REJECTED -> FileEvent.rejected(upload, reason, now);
          default -> throw new IllegalArgumentException(type);
        };
    Map<String, String> attributes = new HashMap<>();
    attributes.put("type", type);
    traceOf(cause, Optional.of(upload)).ifPresent(t -> attributes.put("traceparent", t));
    try (Span announce = tracer.start("announce")) {
      events.publish(Topics.FILE_EVENTS, attributes, messages.fileEvent(event));
      uploads.markAnnounced(upload.id(), clock.instant());
      announce.outcome(type);
    }
  }
}
