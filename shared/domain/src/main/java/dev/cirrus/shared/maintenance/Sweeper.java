package dev.cirrus.shared.maintenance;

import dev.cirrus.shared.accounts.AccountDeletion;
import dev.cirrus.shared.accounts.AccountDeletionService;
import dev.cirrus.shared.admin.IdentityAdmin;
import dev.cirrus.shared.events.EventBus;
import dev.cirrus.shared.events.MessageCodec;
import dev.cirrus.shared.events.StorageObjectEvent;
import dev.cirrus.shared.events.Topics;
import dev.cirrus.shared.exports.AccountExport;
import dev.cirrus.shared.exports.AccountExportService;
import dev.cirrus.shared.files.FileRecord;
import dev.cirrus.shared.files.FileStore;
import dev.cirrus.shared.processing.EventClaims;
import dev.cirrus.shared.storage.ObjectStorage;
import dev.cirrus.shared.storage.StoredObject;
import dev.cirrus.shared.uploads.Upload;
import dev.cirrus.shared.uploads.UploadStatus;
import dev.cirrus.shared.uploads.UploadStore;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.UserCache;
import dev.cirrus.shared.users.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What keeps the pipeline honest between events, once per {@code maintenance-tick}: abandoned
 * uploads expire, stuck ones are re-driven and in the end given up, old event records and old
 * tombstones of deleted files go, users gone from Firebase Auth are deleted here too, account
 * deletions and exports that stopped are re-driven, expired export archives deleted, and quotas
 * that drifted from the files are put right. Each part takes at most one page per run, so a run is
 * bounded however large the backlog; every change is conditional on what was read, so two runs at
 * once do each thing once.
 */
public final class Sweeper {

  /** What it works with. */
  public record Ports(
      UploadStore uploads,
      FileStore files,
      UserStore users,
      UserCache userCache,
      EventClaims claims,
      ObjectStorage storage,
      EventBus events,
      MessageCodec messages,
      AccountDeletionService accountDeletions,
      AccountExportService accountExports,
      IdentityAdmin identity,
      Clock clock) {}

  /**
   * @param pageSize how many of each kind one run handles
   * @param stuckAfter how long an upload may sit in uploaded or processing before a re-drive
   * @param maxRedrives re-drives before an upload is given up as failed
   * @param filesBucket where deleted files' bytes are
   */
  public record Settings(int pageSize, Duration stuckAfter, int maxRedrives, String filesBucket) {
    public static Settings defaults(String filesBucket) {
      return new Settings(200, Duration.ofMinutes(15), 3, filesBucket);
    }
  }

  /** What one run did. */
  public record Report(
      int expired,
      int redriven,
      int failed,
      int purged,
      int tombstonesPurged,
      int quotasChecked,
      int quotasRepaired,
      int accountsGone,
      int deletionsRedriven,
      int exportsRedriven,
      int exportsExpired) {}

  /**
   * A deletion or an export not moved for this long lost its message: the sweeper sends another.
   */
  static final Duration DELETION_STALLED = Duration.ofMinutes(10);

  private static final int IDENTITY_BATCH = 100;

  private final Ports ports;
  private final Settings settings;
  private final Supplier<String> quotaStart;

  /**
   * @param quotaStart where in the user ids this run's quota check begins: random in production, so
   *     that runs cover every user over time without keeping a cursor anywhere
   */
  public Sweeper(Ports ports, Settings settings, Supplier<String> quotaStart) {
    this.ports = ports;
    this.settings = settings;
    this.quotaStart = quotaStart;
  }

  public Report sweep() {
    Instant now = ports.clock().instant();
    int expired = expireAbandoned(now);
    int[] redrive = redriveStuck(now);
    int purged = ports.claims().purgeExpired(now, settings.pageSize());
    int tombstones = purgeTombstones(now);
    Map<String, Quota> page = usersPage();
    int[] quotas = repairQuotas(page);
    int gone = deleteAccountsGoneFromIdentity(page.keySet());
    int redriven = 0;
    for (AccountDeletion job :
        ports.accountDeletions().stalled(now.minus(DELETION_STALLED), settings.pageSize())) {
      ports.accountDeletions().redrive(job);
      redriven++;
    }
    int exportsRedriven = 0;
    for (AccountExport job :
        ports.accountExports().stalled(now.minus(DELETION_STALLED), settings.pageSize())) {
      ports.accountExports().kick(job);
      exportsRedriven++;
    }
    int exportsExpired = ports.accountExports().expire(settings.pageSize());
    return new Report(
        expired,
        redrive[0],
        redrive[1],
        purged,
        tombstones,
        quotas[0],
        quotas[1],
        gone,
        redriven,
        exportsRedriven,
        exportsExpired);
  }

  /**
   * Deleted files past {@link FileRecord#TOMBSTONE_RETENTION}: their bytes go again (the delete
   * that made the tombstone may have died before it removed them), then the document, if it is
   * still that tombstone.
   */
  private int purgeTombstones(Instant now) {
    int purged = 0;
    for (FileRecord tombstone :
        ports.files().tombstones(now.minus(FileRecord.TOMBSTONE_RETENTION), settings.pageSize())) {
      tombstone.objects(settings.filesBucket()).forEach(ports.storage()::delete);
      if (ports.files().purge(tombstone)) {
        purged++;
      }
    }
    return purged;
  }

  /**
   * Pending uploads past their deadline, and past the grace a late finalize message gets: the
   * session is cancelled, any bytes deleted, and expiring releases the reservation.
   */
  private int expireAbandoned(Instant now) {
    int expired = 0;
    for (Upload upload :
        ports.uploads().expiredPending(now.minus(Upload.LATE_FINALIZE), settings.pageSize())) {
      Upload after = ports.uploads().abort(upload.id(), UploadStatus.EXPIRED, now);
      if (after.status() != UploadStatus.EXPIRED) {
        continue; // its bytes were announced meanwhile: processing owns it now
      }
      ports.storage().cancelResumableUpload(upload.session());
      ports.storage().delete(upload.object());
      expired++;
    }
    return expired;
  }

  /**
   * Uploads whose processing has not moved for {@code stuckAfter}: the finalize message is
   * published again (processing is idempotent), up to {@code maxRedrives} times; then the upload
   * fails, which releases its reservation, and its quarantined bytes are deleted.
   */
  private int[] redriveStuck(Instant now) {
    int redriven = 0;
    int failed = 0;
    for (Upload upload :
        ports.uploads().stuck(now.minus(settings.stuckAfter()), settings.pageSize())) {
      if (upload.redrives() >= settings.maxRedrives()) {
        if (ports.uploads().abort(upload.id(), UploadStatus.FAILED, now).status()
            == UploadStatus.FAILED) {
          ports.storage().delete(upload.object());
          failed++;
        }
        continue;
      }
      Optional<StoredObject> object = ports.storage().stat(upload.object());
      if (object.isEmpty()) {
        // Nothing left to process: no re-drive can help.
        if (ports.uploads().reject(upload.id(), "object-missing", now)) {
          failed++;
        }
        continue;
      }
      if (ports.uploads().recordRedrive(upload.id(), upload.updatedAt(), now).isPresent()) {
        ports
            .events()
            .publish(
                Topics.UPLOAD_FINALIZED,
                StorageObjectEvent.attributes(object.get()),
                ports.messages().storageObject(object.get()));
        redriven++;
      }
    }
    return new int[] {redriven, failed};
  }

  /**
   * A page of users from a random point in the ids, wrapping round to the first ones when the page
   * is not full: however few users there are, every run sees all of them.
   */
  private Map<String, Quota> usersPage() {
    String start = quotaStart.get();
    Map<String, Quota> page = new LinkedHashMap<>(ports.users().quotas(start, settings.pageSize()));
    if (page.size() < settings.pageSize() && !start.isEmpty()) {
      ports.users().quotas("", settings.pageSize() - page.size()).entrySet().stream()
          .filter(user -> user.getKey().compareTo(start) < 0)
          .forEach(user -> page.putIfAbsent(user.getKey(), user.getValue()));
    }
    return page;
  }

  /**
   * Users of the page whose Firebase Auth account is gone (deleted in the console or with the Admin
   * SDK): their data is deleted as if they had asked. Asked 100 at a time, Identity Toolkit's
   * limit.
   */
  private int deleteAccountsGoneFromIdentity(Set<String> uids) {
    List<String> all = List.copyOf(uids);
    int gone = 0;
    for (int from = 0; from < all.size(); from += IDENTITY_BATCH) {
      List<String> batch = all.subList(from, Math.min(all.size(), from + IDENTITY_BATCH));
      Set<String> existing = ports.identity().existing(batch);
      for (String uid : batch) {
        if (!existing.contains(uid)) {
          ports.accountDeletions().deleteRemoved(uid);
          gone++;
        }
      }
    }
    return gone;
  }

  /** A page of users from a point in the ids: used bytes and file count as their files say. */
  private int[] repairQuotas(Map<String, Quota> quotas) {
    // One query read the page's quotas; each user then costs one aggregation.
    int repaired = 0;
    for (Map.Entry<String, Quota> user : quotas.entrySet()) {
      Quota quota = user.getValue();
      FileStore.Usage usage = ports.files().usage(user.getKey());
      if ((quota.usedBytes() != usage.bytes() || quota.fileCount() != usage.files())
          && ports.users().correctQuota(user.getKey(), quota, usage.bytes(), usage.files())) {
        ports.userCache().evict(user.getKey());
        repaired++;
      }
    }
    return new int[] {quotas.size(), repaired};
  }
}
