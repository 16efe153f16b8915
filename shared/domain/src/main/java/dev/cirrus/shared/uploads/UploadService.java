package dev.cirrus.shared.uploads;

import dev.cirrus.shared.auth.AccessPolicy;
import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.config.Limits;
import dev.cirrus.shared.config.UploadPolicy;
import dev.cirrus.shared.error.Conflict;
import dev.cirrus.shared.error.NotFound;
import dev.cirrus.shared.events.EventBus;
import dev.cirrus.shared.events.MessageCodec;
import dev.cirrus.shared.events.StorageObjectEvent;
import dev.cirrus.shared.events.Topics;
import dev.cirrus.shared.storage.ObjectRef;
import dev.cirrus.shared.storage.ObjectStorage;
import dev.cirrus.shared.storage.StoredObject;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.Settings;
import dev.cirrus.shared.users.UserRecord;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Upload sessions: create, status, complete, abort. */
public final class UploadService {
  /** {@code :complete} publishes the finalize message of one upload at most this often. */
  static final Duration FINALIZE_NOTICE_EVERY = Duration.ofMinutes(1);

  private final UploadStore uploads;
  private final ObjectStorage storage;
  private final EventBus events;
  private final MessageCodec messages;
  private final Clock clock;
  private final Supplier<String> ids;
  private final UploadPolicy policy;
  private final String uploadsBucket;
  private final Limits limits;
  private final AccessPolicy access = new AccessPolicy();

  public UploadService(
      UploadStore uploads,
      ObjectStorage storage,
      EventBus events,
      MessageCodec messages,
      Clock clock,
      Supplier<String> ids,
      UploadPolicy policy,
      String uploadsBucket,
      Limits limits) {
    this.uploads = uploads;
    this.storage = storage;
    this.events = events;
    this.messages = messages;
    this.clock = clock;
    this.ids = ids;
    this.policy = policy;
    this.uploadsBucket = uploadsBucket;
    this.limits = limits;
  }

  /**
   * Reserves quota, records the upload and opens its session. What the owner holds is checked
   * first, so a user at the limit costs no Cloud Storage session; the session is then opened before
   * the reservation (a session nobody uses costs nothing and expires, while a reservation without a
   * session would hold quota for an upload that cannot happen), and the store decides the
   * reservation again under its transaction.
   */
  /**
   * @param origin the browser origin the session will be used from, if any
   * @param traceparent the caller's trace, which the upload's processing continues
   */
  public UploadCreated create(
      Principal caller, NewUpload request, Optional<String> origin, Optional<String> traceparent) {
    return create(caller, request, origin, traceparent, Optional.empty());
  }

  /**
   * {@code POST /v1/uploads}. With a key, a retry answers the upload the first request made (the
   * same session), whatever became of it; a key reused for a different upload is refused.
   */
  public UploadCreated create(
      Principal caller,
      NewUpload request,
      Optional<String> origin,
      Optional<String> traceparent,
      Optional<IdempotencyKey> key) {
    String id =
        key.map(k -> k.uploadId(caller.uid())).orElseGet(() -> new UploadId(ids.get())).value();
    if (key.isPresent()) {
      Optional<Upload> earlier = uploads.find(id);
      if (earlier.isPresent()) {
        return replay(earlier.get(), request);
      }
    }
    Instant now = clock.instant();
    AdmissionRules rules =
        AdmissionRules.of(policy.maxPendingUploads(), limits, caller.standing(), now);
    uploads
        .admission(caller.uid(), Quota.empty(limits.defaultQuotaBytes()), now)
        .require(request.size(), rules);
    ObjectRef object = new ObjectRef(uploadsBucket, Upload.objectName(caller.uid(), id));
    URI session =
        storage.openResumableUpload(
            object, request.contentType(), request.size(), request.md5(), request.crc32c(), origin);
    Upload upload =
        new Upload(
            id,
            caller.uid(),
            request.filename(),
            request.contentType(),
            request.size(),
            request.md5(),
            request.crc32c(),
            object,
            session,
            UploadStatus.PENDING,
            Optional.empty(),
            Optional.empty(),
            now,
            now,
            now.plus(policy.sessionTtl()),
            Optional.empty(),
            Optional.empty(),
            0,
            traceparent);
    UserRecord fresh =
        new UserRecord(
            caller.uid(),
            caller.email(),
            Settings.DEFAULT,
            Quota.empty(limits.defaultQuotaBytes()),
            now);
    Upload stored;
    try {
      stored = uploads.create(upload, fresh, rules);
    } catch (RuntimeException e) {
      storage.cancelResumableUpload(session);
      throw e;
    }
    if (!stored.session().equals(session)) {
      // A request with the same key got there first: its session is the one.
      storage.cancelResumableUpload(session);
      return replay(stored, request);
    }
    return created(stored);
  }

  private UploadCreated replay(Upload earlier, NewUpload request) {
    boolean same =
        earlier.filename().equals(request.filename())
            && earlier.contentType().equals(request.contentType())
            && earlier.size() == request.size()
            && earlier.md5().equals(request.md5())
            && earlier.crc32c().equals(request.crc32c());
    if (!same) {
      throw new Conflict(
          "idempotency-key-reused",
          "this Idempotency-Key was sent with a different upload; use a new key for each upload");
    }
    return created(earlier);
  }

  private UploadCreated created(Upload upload) {
    return new UploadCreated(
        upload.id(),
        upload.session().toString(),
        "PUT",
        upload.expiresAt(),
        policy.maxUploadBytes());
  }

  public UploadView get(Principal caller, String id) {
    Upload upload = owned(caller, id);
    if (upload.status() == UploadStatus.PENDING && upload.expiresAt().isBefore(clock.instant())) {
      // Recorded as such when the owner next needs the room; the session is dead either way.
      return UploadView.of(upload.with(UploadStatus.EXPIRED, clock.instant()));
    }
    return UploadView.of(upload);
  }

  /**
   * Announces a finished upload on {@code upload-finalized}, as Cloud Storage's notification does.
   * Repeating it is harmless: processing is idempotent, so a lost notification, a retried call and
   * the notification itself all end in one file.
   */
  public UploadView complete(Principal caller, String id, Optional<String> traceparent) {
    Upload upload = owned(caller, id);
    if (upload.status() == UploadStatus.ABORTED || upload.status() == UploadStatus.EXPIRED) {
      throw new Conflict(
          "upload-" + upload.status().wireName(), "the upload was " + upload.status().wireName());
    }
    if (upload.status() != UploadStatus.PENDING && upload.status() != UploadStatus.UPLOADED) {
      return UploadView.of(upload);
    }
    StoredObject object =
        storage
            .stat(upload.object())
            .orElseThrow(
                () -> new Conflict("upload-incomplete", "no bytes have been uploaded yet"));
    if (object.size() != upload.size()) {
      throw new Conflict(
          "upload-incomplete",
          "the object has " + object.size() + " bytes, the upload declared " + upload.size());
    }
    Upload now = uploads.advance(id, UploadStatus.PENDING, UploadStatus.UPLOADED, clock.instant());
    if (!uploads.claimFinalizeNotice(id, clock.instant(), FINALIZE_NOTICE_EVERY)) {
      // Announced less than a minute ago: a client calling in a loop costs a read, not a message.
      return UploadView.of(now);
    }
    Map<String, String> attributes = new HashMap<>(StorageObjectEvent.attributes(object));
    traceparent.ifPresent(t -> attributes.put("traceparent", t));
    events.publish(Topics.UPLOAD_FINALIZED, attributes, messages.storageObject(object));
    return UploadView.of(now);
  }

  /** Cancels the session, removes any bytes and releases the reservation; repeatable. */
  public void abort(Principal caller, String id) {
    Upload upload = owned(caller, id);
    if (upload.status() == UploadStatus.ABORTED || upload.status() == UploadStatus.EXPIRED) {
      return;
    }
    if (!upload.status().holdsReservation() || upload.status() == UploadStatus.PROCESSING) {
      throw new Conflict(
          "upload-" + upload.status().wireName(),
          "the upload is " + upload.status().wireName() + " and can no longer be aborted");
    }
    Upload after = uploads.abort(id, UploadStatus.ABORTED, clock.instant());
    if (after.status() != UploadStatus.ABORTED) {
      throw new Conflict(
          "upload-" + after.status().wireName(),
          "the upload is " + after.status().wireName() + " and can no longer be aborted");
    }
    storage.cancelResumableUpload(upload.session());
    storage.delete(upload.object());
  }

  private Upload owned(Principal caller, String id) {
    UploadId valid = UploadId.parse(id).orElseThrow(() -> new NotFound("upload not found"));
    Upload upload = uploads.find(valid.value()).orElseThrow(() -> new NotFound("upload not found"));
    access.requireOwnerOrAdmin(caller, upload.ownerUid(), "upload");
    return upload;
  }
}
