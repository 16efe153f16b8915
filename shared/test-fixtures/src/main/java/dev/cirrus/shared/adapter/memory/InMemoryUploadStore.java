package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.error.NotFound;
import dev.cirrus.shared.files.FileRecord;
import dev.cirrus.shared.uploads.Admission;
import dev.cirrus.shared.uploads.AdmissionRules;
import dev.cirrus.shared.uploads.DailyUploads;
import dev.cirrus.shared.uploads.Upload;
import dev.cirrus.shared.uploads.UploadLifecycle;
import dev.cirrus.shared.uploads.UploadStatus;
import dev.cirrus.shared.uploads.UploadStore;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.UserRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An {@link UploadStore} in memory, held to the same contract test as the Firestore adapter: the
 * same lifecycle ({@link UploadLifecycle}) and admission ({@link Admission}) rules, one lock where
 * Firestore has transactions. Owners' quotas and promoted files are kept here too, as Firestore
 * keeps them in the documents the same transactions write.
 */
public final class InMemoryUploadStore implements UploadStore {
  private final Map<String, Upload> uploads = new HashMap<>();
  private final Map<String, Quota> quotas = new HashMap<>();
  private final Map<String, FileRecord> files = new HashMap<>();
  private final Map<String, DailyUploads> daily = new HashMap<>();

  @Override
  public synchronized Upload create(Upload upload, UserRecord freshOwner, AdmissionRules rules) {
    Upload existing = uploads.get(upload.id());
    if (existing != null) {
      return existing;
    }
    for (Upload other : inFlight(upload.ownerUid())) {
      if (other.expiredAt(upload.createdAt())) {
        uploads.put(other.id(), other.with(UploadStatus.EXPIRED, upload.createdAt()));
      }
    }
    daily.put(
        upload.ownerUid(),
        admission(upload.ownerUid(), freshOwner.quota(), upload.createdAt())
            .require(upload.size(), rules));
    quotas.putIfAbsent(upload.ownerUid(), freshOwner.quota());
    uploads.put(upload.id(), upload);
    return upload;
  }

  @Override
  public synchronized Optional<Upload> find(String id) {
    return Optional.ofNullable(uploads.get(id));
  }

  @Override
  public synchronized long reservedBytes(String ownerUid) {
    return inFlight(ownerUid).stream().mapToLong(Upload::size).sum();
  }

  @Override
  public synchronized Admission admission(String ownerUid, Quota fresh, Instant now) {
    List<Upload> live = inFlight(ownerUid).stream().filter(u -> !u.expiredAt(now)).toList();
    return new Admission(
        quotas.getOrDefault(ownerUid, fresh),
        live.stream().mapToLong(Upload::size).sum(),
        live.size(),
        daily.getOrDefault(ownerUid, DailyUploads.none(now)),
        closed.contains(ownerUid));
  }

  @Override
  public synchronized Upload advance(String id, UploadStatus from, UploadStatus to, Instant now) {
    Upload upload = get(id);
    if (!upload.mayAdvance(from, to)) {
      return upload;
    }
    return put(upload.with(to, now));
  }

  @Override
  public synchronized Upload abort(String id, UploadStatus terminal, Instant now) {
    Upload upload = get(id);
    if (!upload.mayEnd(terminal)) {
      return upload;
    }
    return put(upload.with(terminal, now));
  }

  @Override
  public synchronized Optional<FileRecord> promote(String uploadId, FileRecord file, Instant now) {
    Upload upload = get(uploadId);
    if (!upload.mayBecome(UploadStatus.READY)) {
      return Optional.empty();
    }
    files.put(file.id(), file);
    put(upload.with(UploadStatus.READY, now).withFile(file.id()));
    Quota quota = quotas.get(upload.ownerUid());
    quotas.put(
        upload.ownerUid(),
        new Quota(quota.usedBytes() + file.size(), quota.fileCount() + 1, quota.limitBytes()));
    return Optional.of(file);
  }

  @Override
  public synchronized boolean claimFinalizeNotice(String id, Instant now, Duration every) {
    Upload upload = get(id);
    if (!upload.finalizeNoticeDue(now, every)) {
      return false;
    }
    put(upload.withFinalizeSentAt(now));
    return true;
  }

  @Override
  public synchronized void markAnnounced(String id, Instant now) {
    Upload upload = get(id);
    put(upload.withAnnouncedAt(now));
  }

  @Override
  public synchronized boolean reject(String uploadId, String reason, Instant now) {
    Upload upload = get(uploadId);
    if (!upload.mayBecome(UploadStatus.REJECTED)) {
      return false;
    }
    put(upload.with(UploadStatus.REJECTED, now).withReason(reason));
    return true;
  }

  /** The files promotions wrote, shared with {@link InMemoryFileStore} as in Firestore. */
  Map<String, FileRecord> files() {
    return files;
  }

  /** Owners' quotas, which promotions charge and file deletions release. */
  Map<String, Quota> quotas() {
    return quotas;
  }

  private List<Upload> inFlight(String ownerUid) {
    return uploads.values().stream()
        .filter(u -> u.ownerUid().equals(ownerUid) && u.status().holdsReservation())
        .toList();
  }

  private Upload get(String id) {
    Upload upload = uploads.get(id);
    if (upload == null) {
      throw new NotFound("upload not found");
    }
    return upload;
  }

  private Upload put(Upload upload) {
    uploads.put(upload.id(), upload);
    return upload;
  }

  @Override
  public synchronized List<Upload> recentOf(String ownerUid, int limit) {
    return uploads.values().stream()
        .filter(u -> u.ownerUid().equals(ownerUid))
        .sorted(Comparator.comparing(Upload::createdAt).reversed())
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized List<Upload> expiredPending(Instant now, int limit) {
    return uploads.values().stream()
        .filter(u -> u.expiredAt(now))
        .sorted(Comparator.comparing(Upload::expiresAt))
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized List<Upload> stuck(Instant before, int limit) {
    return uploads.values().stream()
        .filter(u -> u.stuckSince(before))
        .sorted(Comparator.comparing(Upload::updatedAt))
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized Optional<Upload> recordRedrive(String id, Instant seen, Instant now) {
    Upload upload = get(id);
    if (!upload.mayRedrive(seen)) {
      return Optional.empty();
    }
    return Optional.of(put(upload.redriven(now)));
  }

  private final Set<String> closed = new HashSet<>();

  /** Closes the owner's account to new uploads, as a deletion's start marks the user. */
  synchronized void close(String ownerUid) {
    closed.add(ownerUid);
  }

  /** Whether the owner has anything left here: an upload or a file. */
  synchronized boolean holdsAnythingOf(String ownerUid) {
    return uploads.values().stream().anyMatch(u -> u.ownerUid().equals(ownerUid))
        || files.values().stream().anyMatch(f -> f.ownerUid().equals(ownerUid));
  }

  @Override
  public synchronized List<Upload> ofOwner(String ownerUid, int limit) {
    return uploads.values().stream()
        .filter(u -> u.ownerUid().equals(ownerUid))
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized void erase(String id) {
    uploads.remove(id);
  }
}
