package dev.cirrus.shared.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.shared.accounts.AccountDeletionService;
import dev.cirrus.shared.adapter.memory.InMemoryAccountDeletions;
import dev.cirrus.shared.adapter.memory.InMemoryAccountExports;
import dev.cirrus.shared.adapter.memory.InMemoryAuditLog;
import dev.cirrus.shared.adapter.memory.InMemoryEventClaims;
import dev.cirrus.shared.adapter.memory.InMemoryFileStore;
import dev.cirrus.shared.adapter.memory.InMemoryIdentityAdmin;
import dev.cirrus.shared.adapter.memory.InMemoryNotificationStore;
import dev.cirrus.shared.adapter.memory.InMemoryObjectStorage;
import dev.cirrus.shared.adapter.memory.InMemoryUploadStore;
import dev.cirrus.shared.adapter.memory.InMemoryUserCache;
import dev.cirrus.shared.adapter.memory.InMemoryUserStore;
import dev.cirrus.shared.admin.AuditTrail;
import dev.cirrus.shared.auth.AccessPolicy;
import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.config.Limits;
import dev.cirrus.shared.config.UploadPolicy;
import dev.cirrus.shared.events.StorageObjectEvent;
import dev.cirrus.shared.events.Topics;
import dev.cirrus.shared.exports.AccountExport;
import dev.cirrus.shared.exports.AccountExportService;
import dev.cirrus.shared.exports.ExportView;
import dev.cirrus.shared.files.FileRecord;
import dev.cirrus.shared.json.JsonCodec;
import dev.cirrus.shared.json.JsonMessageCodec;
import dev.cirrus.shared.processing.EventClaims;
import dev.cirrus.shared.storage.ObjectRef;
import dev.cirrus.shared.testing.MutableClock;
import dev.cirrus.shared.testing.RecordingEventBus;
import dev.cirrus.shared.testing.TestFiles;
import dev.cirrus.shared.uploads.NewUpload;
import dev.cirrus.shared.uploads.Upload;
import dev.cirrus.shared.uploads.UploadCreated;
import dev.cirrus.shared.uploads.UploadService;
import dev.cirrus.shared.uploads.UploadStatus;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.Settings;
import dev.cirrus.shared.users.UserRecord;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SweeperTest {
  private static final String UPLOADS = "uploads";
  private static final String FILES = "files";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
  private final InMemoryUploadStore uploads = new InMemoryUploadStore();
  private final InMemoryFileStore files = new InMemoryFileStore(uploads);
  private final InMemoryUserStore users = new InMemoryUserStore();
  private final InMemoryUserCache userCache =
      new InMemoryUserCache(clock, Duration.ofMinutes(2), Duration.ofSeconds(5));
  private final InMemoryObjectStorage storage = new InMemoryObjectStorage(clock);
  private final InMemoryEventClaims claims = new InMemoryEventClaims();
  private final RecordingEventBus bus = new RecordingEventBus();
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
          Limits.DEFAULTS.withDefaultQuota(10_000_000L));
  private final InMemoryAccountDeletions deletionJobs =
      new InMemoryAccountDeletions(uploads, new InMemoryNotificationStore(), users);
  private final InMemoryIdentityAdmin identity = new InMemoryIdentityAdmin(clock);
  private final AccountDeletionService deletions =
      new AccountDeletionService(
          deletionJobs,
          bus,
          messages,
          userCache,
          new AccessPolicy(),
          new AuditTrail(new InMemoryAuditLog(), clock, () -> UUID.randomUUID().toString()),
          clock);
  private final InMemoryAccountExports exportJobs = new InMemoryAccountExports(deletionJobs);
  private final AccountExportService exports =
      new AccountExportService(exportJobs, storage, bus, messages, FILES, clock);
  private final Sweeper sweeper =
      new Sweeper(
          new Sweeper.Ports(
              uploads, files, users, userCache, claims, storage, bus, messages, deletions, exports,
              identity, clock),
          Sweeper.Settings.defaults(FILES),
          () -> "");

  private Upload session(String name) {
    UploadCreated created =
        service.create(
            alice,
            NewUpload.validate(name, "text/plain", 5L, null, null, policy),
            Optional.empty(),
            Optional.empty());
    return uploads.find(created.uploadId()).orElseThrow();
  }

  /** An upload whose bytes arrived and whose processing then stalled. */
  private Upload stuckProcessing(String name) {
    Upload upload = session(name);
    assertThat(storage.upload(upload.session(), "hello".getBytes(StandardCharsets.UTF_8))).isTrue();
    return uploads.advance(
        upload.id(), UploadStatus.PENDING, UploadStatus.PROCESSING, clock.instant());
  }

  @Test
  void anAbandonedSessionExpiresAfterItsDeadlineAndTheLateFinalizeGrace() {
    Upload upload = session("a.txt");
    clock.advance(policy.sessionTtl().plus(Duration.ofMinutes(30)));
    assertThat(sweeper.sweep().expired()).as("within the grace").isZero();

    clock.advance(Upload.LATE_FINALIZE);
    Sweeper.Report report = sweeper.sweep();

    assertThat(report.expired()).isEqualTo(1);
    assertThat(uploads.find(upload.id()).orElseThrow().status()).isEqualTo(UploadStatus.EXPIRED);
    assertThat(uploads.reservedBytes("alice")).isZero();
    assertThat(storage.upload(upload.session(), "hello".getBytes(StandardCharsets.UTF_8)))
        .as("the session is cancelled")
        .isFalse();
    assertThat(sweeper.sweep().expired()).isZero();
  }

  @Test
  void aStuckUploadIsRedrivenWithItsFinalizeMessageThenGivenUp() {
    Upload upload = stuckProcessing("s.txt");
    clock.advance(Duration.ofMinutes(16));

    assertThat(sweeper.sweep().redriven()).isEqualTo(1);
    assertThat(bus.on(Topics.UPLOAD_FINALIZED)).hasSize(1);
    StorageObjectEvent event =
        messages.readStorageObject(
            bus.on(Topics.UPLOAD_FINALIZED).get(0).attributes(),
            bus.on(Topics.UPLOAD_FINALIZED).get(0).body().getBytes(StandardCharsets.UTF_8));
    assertThat(event.ref()).isEqualTo(upload.object());
    assertThat(sweeper.sweep().redriven()).as("the clock restarted").isZero();

    for (int i = 2; i <= Sweeper.Settings.defaults(FILES).maxRedrives(); i++) {
      clock.advance(Duration.ofMinutes(16));
      assertThat(sweeper.sweep().redriven()).isEqualTo(1);
    }
    clock.advance(Duration.ofMinutes(16));
    Sweeper.Report last = sweeper.sweep();

    assertThat(last.failed()).isEqualTo(1);
    assertThat(bus.on(Topics.UPLOAD_FINALIZED))
        .hasSize(Sweeper.Settings.defaults(FILES).maxRedrives());
    assertThat(uploads.find(upload.id()).orElseThrow().status()).isEqualTo(UploadStatus.FAILED);
    assertThat(uploads.reservedBytes("alice")).isZero();
    assertThat(storage.stat(upload.object())).isEmpty();
  }

  @Test
  void aStuckUploadWhoseBytesAreGoneIsRejected() {
    Upload upload = stuckProcessing("gone.txt");
    storage.delete(upload.object());
    clock.advance(Duration.ofMinutes(16));

    sweeper.sweep();

    Upload after = uploads.find(upload.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(UploadStatus.REJECTED);
    assertThat(after.reason()).contains("object-missing");
    assertThat(bus.on(Topics.UPLOAD_FINALIZED)).isEmpty();
  }

  @Test
  void sweepersRunningAtOnceRedriveEachUploadOnce() {
    List<Upload> stuck = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      stuck.add(stuckProcessing("c" + i + ".txt"));
    }
    clock.advance(Duration.ofMinutes(16));
    List<CompletableFuture<Sweeper.Report>> runs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      runs.add(CompletableFuture.supplyAsync(sweeper::sweep));
    }
    int redriven = runs.stream().mapToInt(r -> r.join().redriven()).sum();
    assertThat(redriven).isEqualTo(stuck.size());
    assertThat(bus.on(Topics.UPLOAD_FINALIZED)).hasSize(stuck.size());
  }

  @Test
  void expiredEventRecordsArePurged() {
    claims.claim("old", "h", clock.instant(), Duration.ofMinutes(1));
    clock.advance(EventClaims.RETENTION.plusDays(1));
    claims.claim("new", "h", clock.instant(), Duration.ofMinutes(1));

    assertThat(sweeper.sweep().purged()).isEqualTo(1);
    assertThat(claims.claim("new", "h", clock.instant(), Duration.ofMinutes(1)))
        .isEqualTo(EventClaims.State.ACQUIRED);
  }

  @Test
  void aUserWhoseFirebaseAccountWasDeletedElsewhereHasTheirDataDeleted() {
    identity.add("alice", "alice@example.com");
    for (String uid : List.of("alice", "gone")) {
      users.findOrCreate(
          new UserRecord(
              uid, Optional.empty(), Settings.DEFAULT, new Quota(0, 0, 5000), clock.instant()));
    }

    Sweeper.Report report = sweeper.sweep();

    assertThat(report.accountsGone()).isEqualTo(1);
    assertThat(deletionJobs.find("gone"))
        .hasValueSatisfying(j -> assertThat(j.requestedBy()).isEqualTo("sweeper"));
    assertThat(deletionJobs.find("alice")).isEmpty();
    assertThat(bus.on(Topics.ACCOUNT_DELETIONS))
        .singleElement()
        .satisfies(m -> assertThat(m.attributes()).containsEntry("uid", "gone"));
  }

  @Test
  void anAccountDeletionWhoseMessagesStoppedIsRedriven() {
    deletionJobs.start("carol", "self", clock.instant());
    clock.advance(Sweeper.DELETION_STALLED.minusMinutes(1));
    assertThat(sweeper.sweep().deletionsRedriven()).as("still moving, maybe").isZero();

    clock.advance(Duration.ofMinutes(2));
    assertThat(sweeper.sweep().deletionsRedriven()).isEqualTo(1);
    assertThat(bus.on(Topics.ACCOUNT_DELETIONS)).hasSize(1);
  }

  @Test
  void aQuotaThatDriftedFromTheFilesIsPutRight() {
    identity.add("alice", "alice@example.com");
    identity.add("bob", "bob@example.com");
    userCache.remember(
        users.findOrCreate(
            new UserRecord(
                "alice",
                Optional.empty(),
                Settings.DEFAULT,
                new Quota(999, 7, 5000),
                clock.instant())));
    userCache.remember(
        users.findOrCreate(
            new UserRecord(
                "bob",
                Optional.empty(),
                Settings.DEFAULT,
                new Quota(0, 0, 5000),
                clock.instant())));

    Sweeper.Report report = sweeper.sweep();

    assertThat(report.quotasChecked()).isEqualTo(2);
    assertThat(report.quotasRepaired()).isEqualTo(1);
    assertThat(users.quota("alice")).contains(new Quota(0, 0, 5000));
    assertThat(users.quota("bob")).contains(new Quota(0, 0, 5000));
    assertThat(userCache.find("alice")).as("the profile showing the drifted quota").isEmpty();
    assertThat(userCache.find("bob")).as("a quota that was right").isPresent();
  }

  @Test
  void theSessionUriOfAnExpiredUploadIsNotReused() {
    Upload upload = session("u.txt");
    URI session = upload.session();
    clock.advance(policy.sessionTtl().plus(Upload.LATE_FINALIZE).plusSeconds(1));
    sweeper.sweep();
    assertThat(storage.upload(session, "hello".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(storage.stat(upload.object())).isEmpty();
  }

  @Test
  void aTombstoneIsPurgedWithAnyBytesLeftOnceItsRetentionIsOver() {
    FileRecord deleted = TestFiles.ready("alice", clock.instant(), 5);
    FileRecord kept = TestFiles.ready("bob", clock.instant(), 7);
    for (FileRecord f : List.of(deleted, kept)) {
      files.put(f, new Quota(f.size(), 1, 5000));
      f.objects(FILES).forEach(o -> storage.write(o, "text/plain", new byte[(int) f.size()]));
    }
    // The delete died after its transaction, before it removed the bytes.
    files.delete(deleted.id(), clock.instant());

    clock.advance(FileRecord.TOMBSTONE_RETENTION.minusMinutes(1));
    assertThat(sweeper.sweep().tombstonesPurged()).as("within the retention").isZero();
    assertThat(files.find(deleted.id())).isPresent();

    clock.advance(Duration.ofMinutes(2));
    assertThat(sweeper.sweep().tombstonesPurged()).isEqualTo(1);
    assertThat(files.find(deleted.id())).isEmpty();
    assertThat(deleted.objects(FILES)).allMatch(o -> storage.stat(o).isEmpty());
    assertThat(files.find(kept.id())).contains(kept);
    assertThat(kept.objects(FILES)).allMatch(o -> storage.stat(o).isPresent());
    assertThat(sweeper.sweep().tombstonesPurged()).isZero();
  }

  @Test
  void anExportWhoseMessagesStoppedIsRedrivenAndAnExpiredArchiveIsDeleted() {
    ExportView asked = exports.request(alice);
    clock.advance(Sweeper.DELETION_STALLED.plusMinutes(1));
    assertThat(sweeper.sweep().exportsRedriven()).isEqualTo(1);
    assertThat(bus.on(Topics.ACCOUNT_EXPORTS))
        .hasSize(2)
        .allSatisfy(m -> assertThat(m.body()).contains(asked.id()));

    AccountExport job = exportJobs.find("alice").orElseThrow();
    AccountExport ready = job.assembled(10, clock.instant());
    exportJobs.advance(job, ready);
    ObjectRef archive = new ObjectRef(FILES, "exports/alice/cirrus-export-" + asked.id() + ".tar");
    storage.write(archive, "application/x-tar", new byte[10]);
    clock.advance(AccountExport.RETENTION.plusMinutes(1));

    Sweeper.Report report = sweeper.sweep();

    assertThat(report.exportsExpired()).isEqualTo(1);
    assertThat(storage.stat(archive)).isEmpty();
    assertThat(exportJobs.find("alice").orElseThrow().phase())
        .isEqualTo(AccountExport.Phase.EXPIRED);
  }

  @Test
  void aRunStartingPartWayThroughTheIdsWrapsRoundToTheFirstOnes() {
    Sweeper fromM =
        new Sweeper(
            new Sweeper.Ports(
                uploads, files, users, userCache, claims, storage, bus, messages, deletions,
                exports, identity, clock),
            Sweeper.Settings.defaults(FILES),
            () -> "m");
    for (String uid : List.of("alice", "zoe")) {
      users.findOrCreate(
          new UserRecord(
              uid, Optional.empty(), Settings.DEFAULT, new Quota(0, 0, 5000), clock.instant()));
    }

    Sweeper.Report report = fromM.sweep();

    assertThat(report.quotasChecked()).isEqualTo(2);
    assertThat(report.accountsGone()).as("neither has a Firebase account here").isEqualTo(2);
  }
}
