package dev.cirrus.shared.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.accounts.AccountDeletion.Phase;
import dev.cirrus.shared.adapter.memory.InMemoryAccountDeletions;
import dev.cirrus.shared.adapter.memory.InMemoryAccountExports;
import dev.cirrus.shared.adapter.memory.InMemoryAuditLog;
import dev.cirrus.shared.adapter.memory.InMemoryDeliveryLog;
import dev.cirrus.shared.adapter.memory.InMemoryEventClaims;
import dev.cirrus.shared.adapter.memory.InMemoryFileStore;
import dev.cirrus.shared.adapter.memory.InMemoryIdentityAdmin;
import dev.cirrus.shared.adapter.memory.InMemoryNotificationStore;
import dev.cirrus.shared.adapter.memory.InMemoryObjectStorage;
import dev.cirrus.shared.adapter.memory.InMemoryUploadStore;
import dev.cirrus.shared.adapter.memory.InMemoryUserCache;
import dev.cirrus.shared.adapter.memory.InMemoryUserStore;
import dev.cirrus.shared.adapter.memory.InMemoryWebhookDeliveries;
import dev.cirrus.shared.adapter.memory.InMemoryWebhookEndpoints;
import dev.cirrus.shared.admin.AuditTrail;
import dev.cirrus.shared.auth.AccessPolicy;
import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.config.Limits;
import dev.cirrus.shared.config.UploadPolicy;
import dev.cirrus.shared.error.Conflict;
import dev.cirrus.shared.events.Topics;
import dev.cirrus.shared.files.FileRecord;
import dev.cirrus.shared.json.JsonCodec;
import dev.cirrus.shared.json.JsonMessageCodec;
import dev.cirrus.shared.notifications.NotificationStore.Addressed;
import dev.cirrus.shared.notifications.StoredNotification;
import dev.cirrus.shared.storage.ObjectRef;
import dev.cirrus.shared.storage.ObjectStorage;
import dev.cirrus.shared.testing.ForwardingObjectStorage;
import dev.cirrus.shared.testing.MutableClock;
import dev.cirrus.shared.testing.RecordingEventBus;
import dev.cirrus.shared.testing.TestFiles;
import dev.cirrus.shared.uploads.NewUpload;
import dev.cirrus.shared.uploads.Upload;
import dev.cirrus.shared.uploads.UploadService;
import dev.cirrus.shared.users.Device;
import dev.cirrus.shared.users.DevicePlatform;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.Settings;
import dev.cirrus.shared.users.UserRecord;
import dev.cirrus.shared.webhooks.SigningSecrets;
import dev.cirrus.shared.webhooks.WebhookDelivery;
import dev.cirrus.shared.webhooks.WebhookEndpoint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** An account deletion as the job runs it, step by step, on the fakes. */
class AccountEraserTest {
  private static final String UPLOADS = "uploads";
  private static final String FILES = "files";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
  private final InMemoryUploadStore uploads = new InMemoryUploadStore();
  private final InMemoryFileStore files = new InMemoryFileStore(uploads);
  private final InMemoryUserStore users = new InMemoryUserStore();
  private final InMemoryNotificationStore notifications = new InMemoryNotificationStore();
  private final InMemoryDeliveryLog deliveries = new InMemoryDeliveryLog();
  private final InMemoryEventClaims claims = new InMemoryEventClaims();
  private final InMemoryWebhookEndpoints webhooks = new InMemoryWebhookEndpoints();
  private final InMemoryWebhookDeliveries webhookDeliveries = new InMemoryWebhookDeliveries();
  private final InMemoryObjectStorage storage = new InMemoryObjectStorage(clock);
  private final InMemoryIdentityAdmin identity = new InMemoryIdentityAdmin(clock);
  private final InMemoryUserCache cache =
      new InMemoryUserCache(clock, Duration.ofMinutes(2), Duration.ofSeconds(5));
  private final InMemoryAccountDeletions jobs =
      new InMemoryAccountDeletions(uploads, notifications, users);
  private final RecordingEventBus bus = new RecordingEventBus();
  private final JsonMessageCodec messages = new JsonMessageCodec(new JsonCodec());
  private final AccountDeletionService service =
      new AccountDeletionService(
          jobs,
          bus,
          messages,
          cache,
          new AccessPolicy(),
          new AuditTrail(new InMemoryAuditLog(), clock, () -> UUID.randomUUID().toString()),
          clock);
  private final UploadService uploadService =
      new UploadService(
          uploads,
          storage,
          bus,
          messages,
          clock,
          () -> UUID.randomUUID().toString(),
          UploadPolicy.DEFAULTS,
          UPLOADS,
          Limits.DEFAULTS.withDefaultQuota(10_000_000L));
  private final Principal ada = new Principal("ada", Optional.of("ada@example.com"), Set.of());
  private final Principal bob = new Principal("bob", Optional.of("bob@example.com"), Set.of());

  private AccountEraser eraser(int pageSize) {
    return eraser(pageSize, storage);
  }

  private AccountEraser eraser(int pageSize, ObjectStorage bytes) {
    return new AccountEraser(
        new AccountEraser.Ports(
            jobs,
            new InMemoryAccountExports(jobs),
            webhooks,
            webhookDeliveries,
            uploads,
            files,
            bytes,
            notifications,
            users,
            deliveries,
            claims,
            cache,
            identity,
            clock),
        new AccountEraser.Settings(UPLOADS, FILES, pageSize));
  }

  /** Everything a user can have: files (one deleted), uploads in flight, notifications, pushes. */
  private void everything(Principal who, int fileCount) {
    identity.add(who.uid(), who.email().orElseThrow());
    users.findOrCreate(
        new UserRecord(
            who.uid(),
            who.email(),
            Settings.DEFAULT,
            new Quota(0, 0, 10_000_000L),
            clock.instant()));
    // The quota as the files make it: the first put sets it.
    Quota quota = new Quota(3L * (fileCount + 1), fileCount + 1, 10_000_000L);
    for (int i = 0; i < fileCount; i++) {
      FileRecord file = TestFiles.ready(who.uid(), clock.instant(), 3);
      files.put(file, quota);
      file.objects(FILES).forEach(o -> storage.write(o, "text/plain", bytes("abc")));
    }
    FileRecord deleted = TestFiles.ready(who.uid(), clock.instant(), 3);
    files.put(deleted, quota);
    files.delete(deleted.id(), clock.instant());
    // A pending session, and one whose bytes arrived and wait for processing.
    uploadService.create(
        who,
        NewUpload.validate("p.txt", "text/plain", 3L, null, null, UploadPolicy.DEFAULTS),
        Optional.empty(),
        Optional.empty());
    Upload arrived =
        uploads
            .find(
                uploadService
                    .create(
                        who,
                        NewUpload.validate(
                            "a.txt", "text/plain", 3L, null, null, UploadPolicy.DEFAULTS),
                        Optional.empty(),
                        Optional.empty())
                    .uploadId())
            .orElseThrow();
    assertThat(storage.upload(arrived.session(), bytes("abc"))).isTrue();
    // Bytes no document names: a processing that died after writing them.
    storage.write(
        new ObjectRef(FILES, FileRecord.objectPrefix(who.uid(), "orphan") + "original"),
        "text/plain",
        bytes("abc"));
    notifications.createMissing(
        List.of(
            new Addressed(who.uid(), notification("one")),
            new Addressed(who.uid(), notification("two"))));
    users.registerDevice(
        who.uid(),
        Device.register("token-" + who.uid(), DevicePlatform.ANDROID, clock.instant()),
        10);
    deliveries.record("batch-1", List.of(who.uid() + "/d1", "someone/d2"), clock.instant());
    WebhookEndpoint endpoint =
        new WebhookEndpoint(
            "wh_" + who.uid(),
            Optional.of(who.uid()),
            "https://hooks.example.com/" + who.uid(),
            List.of("file.ready"),
            new SigningSecrets("whsec_AAAA", Optional.empty(), Optional.empty()),
            Optional.empty(),
            Optional.empty(),
            clock.instant(),
            clock.instant());
    webhooks.create(endpoint);
    webhookDeliveries.create(
        WebhookDelivery.pending(
            "msg_" + who.uid(), endpoint.id(), "file.ready", "{}", clock.instant()));
    claims.claim(
        UPLOADS + "/" + arrived.object().name() + "#1",
        "h",
        clock.instant(),
        Duration.ofMinutes(1));
  }

  private StoredNotification notification(String key) {
    return new StoredNotification(
        StoredNotification.idFor(key + UUID.randomUUID()),
        "file.ready",
        "t",
        "b",
        Map.of(),
        clock.instant(),
        Optional.empty());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Runs the job as the function does: a step per message until it says there is no more. */
  private int runToTheEnd(AccountEraser eraser, String uid) {
    int steps = 0;
    while (eraser.step(uid)) {
      steps++;
      assertThat(steps).as("a job that ends").isLessThan(1000);
    }
    return steps;
  }

  private void assertNothingLeftOf(String uid) {
    assertThat(uploads.ofOwner(uid, 100)).isEmpty();
    assertThat(files.ofOwner(uid, 100)).isEmpty();
    assertThat(storage.list(UPLOADS, Upload.ownerPrefix(uid), 100)).isEmpty();
    assertThat(storage.list(FILES, FileRecord.ownerPrefix(uid), 100)).isEmpty();
    assertThat(notifications.holdsAnyOf(uid)).isFalse();
    assertThat(users.devices(uid)).isEmpty();
    assertThat(users.quota(uid)).isEmpty();
    assertThat(deliveries.delivered("batch-1")).noneMatch(k -> k.startsWith(uid + "/"));
    assertThat(identity.find(uid)).isEmpty();
    assertThat(webhooks.ownedBy(uid, 10)).isEmpty();
    assertThat(webhookDeliveries.of("wh_" + uid, 10, Optional.empty()).deliveries()).isEmpty();
    assertThat(claims.forget(UPLOADS + "/" + Upload.ownerPrefix(uid), 100)).isZero();
    assertThat(jobs.find(uid)).hasValueSatisfying(j -> assertThat(j.isDone()).isTrue());
  }

  @Test
  void deletionLeavesNothingOfTheUserAndTouchesNothingOfAnyoneElse() {
    everything(ada, 5);
    everything(bob, 2);
    DeletionView started = service.deleteOwn(ada);
    assertThat(started.status()).isEqualTo("running");
    assertThat(bus.on(Topics.ACCOUNT_DELETIONS)).hasSize(1);

    runToTheEnd(eraser(200), "ada");

    assertNothingLeftOf("ada");
    AccountDeletion done = jobs.find("ada").orElseThrow();
    assertThat(done.erased()).isEqualTo(new AccountDeletion.Erased(2, 6, 1, 2, 1, 2));
    assertThat(done.finishedAt()).isPresent();
    assertThat(files.ofOwner("bob", 100)).hasSize(3);
    assertThat(uploads.ofOwner("bob", 100)).hasSize(2);
    assertThat(storage.list(FILES, FileRecord.ownerPrefix("bob"), 100)).hasSize(3);
    assertThat(notifications.holdsAnyOf("bob")).isTrue();
    assertThat(users.devices("bob")).hasSize(1);
    assertThat(identity.find("bob")).isPresent();
    assertThat(webhooks.ownedBy("bob", 10)).hasSize(1);
    assertThat(webhookDeliveries.of("wh_bob", 10, Optional.empty()).deliveries()).hasSize(1);
    assertThat(deliveries.delivered("batch-1")).contains("bob/d1", "someone/d2");
  }

  @Test
  void pagesAreBoundedAndTheJobTakesAsManyStepsAsItNeeds() {
    everything(ada, 7);
    service.deleteOwn(ada);

    int steps = runToTheEnd(eraser(2), "ada");

    assertNothingLeftOf("ada");
    assertThat(steps).as("8 files in pages of 2, and the rest").isGreaterThan(8);
  }

  @Test
  void deletingTwiceIsOneJobAndAFinishedOneStaysFinished() {
    everything(ada, 1);
    DeletionView first = service.deleteOwn(ada);
    DeletionView second = service.deleteOwn(ada);
    assertThat(second.requestedAt()).isEqualTo(first.requestedAt());
    runToTheEnd(eraser(200), "ada");

    DeletionView again = service.deleteOwn(ada);

    assertThat(again.status()).isEqualTo("done");
    assertThat(eraser(200).step("ada")).isFalse();
    assertNothingLeftOf("ada");
  }

  @Test
  void aStepThatDiesHalfWayIsRunAgainAndTheEndIsTheSame() {
    everything(ada, 6);
    service.deleteOwn(ada);
    AtomicInteger deletes = new AtomicInteger();
    ObjectStorage dying = new DyingOnDelete(storage, () -> deletes.incrementAndGet() % 4 == 0);

    int crashes = 0;
    AccountEraser flaky = eraser(3, dying);
    while (true) {
      try {
        if (!flaky.step("ada")) {
          break;
        }
      } catch (IllegalStateException killed) {
        crashes++;
      }
    }

    assertThat(crashes).isPositive();
    assertNothingLeftOf("ada");
  }

  @Test
  void aClosingAccountTakesNoUploadAndWhatArrivesLateSendsTheJobRound() {
    everything(ada, 1);
    service.deleteOwn(ada);
    assertThatThrownBy(
            () ->
                uploadService.create(
                    ada,
                    NewUpload.validate(
                        "late.txt", "text/plain", 3L, null, null, UploadPolicy.DEFAULTS),
                    Optional.empty(),
                    Optional.empty()))
        .isInstanceOfSatisfying(
            Conflict.class, e -> assertThat(e.code()).isEqualTo("account-deleting"));
    AccountEraser eraser = eraser(200);
    while (jobs.find("ada").orElseThrow().phase() != Phase.PROFILE) {
      eraser.step("ada");
    }
    // A notification written after its phase, before the profile goes.
    notifications.createMissing(List.of(new Addressed("ada", notification("late"))));

    eraser.step("ada");
    assertThat(jobs.find("ada").orElseThrow().phase()).as("round again").isEqualTo(Phase.UPLOADS);
    runToTheEnd(eraser, "ada");

    assertNothingLeftOf("ada");
  }

  /** The storage, but the process dies (an exception) on some deletes, before the delete. */
  private static final class DyingOnDelete extends ForwardingObjectStorage {
    private final BooleanSupplier dies;

    DyingOnDelete(ObjectStorage delegate, BooleanSupplier dies) {
      super(delegate);
      this.dies = dies;
    }

    @Override
    public void delete(ObjectRef ref) {
      if (dies.getAsBoolean()) {
        throw new IllegalStateException("killed before deleting " + ref);
      }
      super.delete(ref);
    }
  }
}
