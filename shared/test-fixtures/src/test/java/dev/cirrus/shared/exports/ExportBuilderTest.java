package dev.cirrus.shared.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cirrus.shared.accounts.AccountEraser;
import dev.cirrus.shared.adapter.memory.InMemoryAccountDeletions;
import dev.cirrus.shared.adapter.memory.InMemoryAccountExports;
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
import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.error.Conflict;
import dev.cirrus.shared.events.MessageCodec.ExportStep;
import dev.cirrus.shared.events.Topics;
import dev.cirrus.shared.exports.AccountExport.Phase;
import dev.cirrus.shared.files.FileRecord;
import dev.cirrus.shared.json.JsonCodec;
import dev.cirrus.shared.json.JsonExportFormat;
import dev.cirrus.shared.json.JsonMessageCodec;
import dev.cirrus.shared.notifications.NotificationStore.Addressed;
import dev.cirrus.shared.notifications.StoredNotification;
import dev.cirrus.shared.storage.ObjectRef;
import dev.cirrus.shared.storage.ObjectStorage;
import dev.cirrus.shared.storage.StoredObject;
import dev.cirrus.shared.testing.ForwardingObjectStorage;
import dev.cirrus.shared.testing.MutableClock;
import dev.cirrus.shared.testing.RecordingEventBus;
import dev.cirrus.shared.testing.TarEntries;
import dev.cirrus.shared.testing.TarEntries.Entry;
import dev.cirrus.shared.testing.TestFiles;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.Settings;
import dev.cirrus.shared.users.UserRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A data export as its job builds it, step by step, on the fakes. */
class ExportBuilderTest {
  private static final String FILES = "files";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
  private final InMemoryUploadStore uploads = new InMemoryUploadStore();
  private final InMemoryFileStore files = new InMemoryFileStore(uploads);
  private final InMemoryUserStore users = new InMemoryUserStore();
  private final InMemoryNotificationStore notifications = new InMemoryNotificationStore();
  private final InMemoryObjectStorage storage = new InMemoryObjectStorage(clock);
  private final InMemoryAccountDeletions deletions =
      new InMemoryAccountDeletions(uploads, notifications, users);
  private final InMemoryAccountExports exports = new InMemoryAccountExports(deletions);
  private final RecordingEventBus bus = new RecordingEventBus();
  private final JsonCodec json = new JsonCodec();
  private final JsonMessageCodec messages = new JsonMessageCodec(json);
  private final AccountExportService service =
      new AccountExportService(exports, storage, bus, messages, FILES, clock);
  private final Principal ada = new Principal("ada", Optional.of("ada@example.com"), Set.of());
  private final Map<String, byte[]> originals = new HashMap<>();

  private ExportBuilder builder(ObjectStorage bytes) {
    return new ExportBuilder(
        new ExportBuilder.Ports(
            exports, files, notifications, users, bytes, new JsonExportFormat(json), clock),
        new ExportBuilder.Settings(FILES, 200, 256L * 1024 * 1024, 100));
  }

  private void user(Principal who, int fileCount, int notificationCount) {
    users.findOrCreate(
        new UserRecord(
            who.uid(),
            who.email(),
            new Settings(List.of("file.deleted")),
            new Quota(0, 0, 10_000_000_000L),
            clock.instant().minusSeconds(3600)));
    Quota quota = new Quota(0, fileCount, 10_000_000_000L);
    for (int i = 0; i < fileCount; i++) {
      byte[] bytes = ("file " + i + " of " + who.uid()).getBytes(StandardCharsets.UTF_8);
      FileRecord file =
          TestFiles.ready(who.uid(), clock.instant().minusSeconds(fileCount - i), bytes.length);
      files.put(file, quota);
      storage.write(new ObjectRef(FILES, file.originalObject()), "text/plain", bytes);
      originals.put(file.id(), bytes);
    }
    List<Addressed> notes = new ArrayList<>();
    for (int i = 0; i < notificationCount; i++) {
      notes.add(
          new Addressed(
              who.uid(),
              new StoredNotification(
                  StoredNotification.idFor(who.uid() + i),
                  "file.ready",
                  "Ready " + i,
                  "body",
                  Map.of("fileId", "x" + i),
                  clock.instant().minusSeconds(i),
                  Optional.empty())));
    }
    for (int i = 0; i < notes.size(); i += 500) {
      notifications.createMissing(notes.subList(i, Math.min(notes.size(), i + 500)));
    }
  }

  /** Runs the job as its messages would, each step once; returns how many steps it took. */
  private int run(ExportBuilder builder, AccountExport job) {
    int steps = 1;
    while (builder.step(job.uid(), job.id())) {
      steps++;
      assertThat(steps).as("the job ends").isLessThan(10_000);
    }
    return steps;
  }

  private Map<String, Entry> archive(AccountExport job) throws Exception {
    ObjectRef ref = builder(storage).archiveOf(job);
    StoredObject stored = storage.stat(ref).orElseThrow();
    try (InputStream in = storage.read(ref, stored.generation())) {
      return TarEntries.read(in);
    }
  }

  private JsonNode data(Map<String, Entry> entries) throws Exception {
    return json.mapper().readTree(entries.get("cirrus-export/data.json").small());
  }

  private List<ObjectRef> exportObjects(String uid) {
    return storage.list(FILES, ExportArchive.ownerPrefix(uid), 100_000);
  }

  @Test
  void anExportOfTenThousandFilesIsOneTarOfEveryOriginalAndTheDataInBoundedSteps()
      throws Exception {
    user(ada, 10_000, 1_200);
    ExportView asked = service.request(ada);
    assertThat(asked.status()).isEqualTo("building");
    AccountExport job = exports.find("ada").orElseThrow();
    ExportStep message =
        messages.readAccountExport(bus.on(Topics.ACCOUNT_EXPORTS).get(0).body().getBytes());
    assertThat(message).isEqualTo(new ExportStep("ada", job.id()));

    int steps = run(builder(storage), job);

    // 50 parts of 200 originals, data.json, the assembly, the clean-up.
    assertThat(steps).isEqualTo(50 + 1 + 1 + 1 + 1);
    Map<String, Entry> entries = archive(job);
    assertThat(entries).hasSize(10_001);
    for (Map.Entry<String, byte[]> original : originals.entrySet()) {
      FileRecord file = files.find(original.getKey()).orElseThrow();
      Entry entry = entries.get(ExportArchive.entryOf(file));
      assertThat(entry).as(file.id()).isNotNull();
      assertThat(entry.sha256()).isEqualTo(TarEntries.sha256(original.getValue()));
    }
    JsonNode data = data(entries);
    assertThat(data.path("format").asText()).isEqualTo("cirrus-export/1");
    assertThat(data.path("profile").path("uid").asText()).isEqualTo("ada");
    assertThat(data.path("profile").path("email").asText()).isEqualTo("ada@example.com");
    assertThat(data.path("profile").path("mutedTypes").get(0).asText()).isEqualTo("file.deleted");
    assertThat(data.path("files")).hasSize(10_000);
    JsonNode first = data.path("files").get(0);
    assertThat(first.path("filename").asText()).startsWith("f-");
    assertThat(entries).containsKey(first.path("archivePath").asText());
    assertThat(data.path("notifications")).hasSize(1_200);

    ExportView ready = service.own(ada);
    assertThat(ready.status()).isEqualTo("ready");
    assertThat(ready.files()).isEqualTo(10_000);
    assertThat(ready.url()).contains("cirrus-export-" + job.id() + ".tar");
    assertThat(ready.expiresAt()).isEqualTo(clock.instant().plus(AccountExport.RETENTION));
    assertThat(exportObjects("ada"))
        .as("only the archive is left: the parts are deleted")
        .containsExactly(builder(storage).archiveOf(job));
  }

  @Test
  void aStepThatDiesIsRunAgainAndTheArchiveIsTheSame() throws Exception {
    user(ada, 450, 3);
    service.request(ada);
    AccountExport job = exports.find("ada").orElseThrow();
    AtomicInteger calls = new AtomicInteger();
    // Dies on every 3rd write or compose: each step is cut somewhere, and run again.
    ObjectStorage dying =
        new ForwardingObjectStorage(storage) {
          @Override
          public StoredObject writeStreamed(ObjectRef ref, String contentType, BodyWriter body) {
            if (calls.incrementAndGet() % 3 == 0) {
              return super.writeStreamed(
                  ref,
                  contentType,
                  out -> {
                    body.writeTo(out);
                    throw new IOException("killed mid-write");
                  });
            }
            return super.writeStreamed(ref, contentType, body);
          }

          @Override
          public StoredObject compose(
              List<ObjectRef> sources, ObjectRef target, String contentType) {
            StoredObject made = super.compose(sources, target, contentType);
            if (calls.incrementAndGet() % 3 == 0) {
              throw new IllegalStateException("killed after a compose");
            }
            return made;
          }
        };
    ExportBuilder broken = builder(dying);
    int failures = 0;
    boolean more = true;
    while (more) {
      try {
        more = broken.step("ada", job.id());
      } catch (RuntimeException e) {
        failures++;
        assertThat(failures).isLessThan(100);
      }
    }
    assertThat(failures).isPositive();
    Map<String, Entry> entries = archive(job);
    assertThat(entries).hasSize(451);
    for (Map.Entry<String, byte[]> original : originals.entrySet()) {
      Entry entry = entries.get(ExportArchive.entryOf(files.find(original.getKey()).orElseThrow()));
      assertThat(entry.sha256()).isEqualTo(TarEntries.sha256(original.getValue()));
    }
    assertThat(exportObjects("ada")).hasSize(1);
  }

  @Test
  void aDuplicateMessageOfAStepMovesNothingTwice() throws Exception {
    user(ada, 30, 0);
    service.request(ada);
    AccountExport job = exports.find("ada").orElseThrow();
    ExportBuilder builder = builder(storage);
    // Every message delivered twice: the second finds the job moved and does the next step.
    while (builder.step("ada", job.id()) | builder.step("ada", job.id())) {
      assertThat(exports.find("ada").orElseThrow().files()).isLessThanOrEqualTo(30);
    }
    assertThat(exports.find("ada").orElseThrow().phase()).isEqualTo(Phase.DONE);
    assertThat(exports.find("ada").orElseThrow().files()).isEqualTo(30);
    assertThat(archive(job)).hasSize(31);
  }

  @Test
  void filesUploadedAfterTheRequestAreNotInIt() throws Exception {
    user(ada, 5, 0);
    service.request(ada);
    AccountExport job = exports.find("ada").orElseThrow();
    clock.advance(Duration.ofSeconds(5));
    FileRecord late = TestFiles.ready("ada", clock.instant(), 4);
    files.put(late, new Quota(0, 6, 10_000_000_000L));
    storage.write(new ObjectRef(FILES, late.originalObject()), "text/plain", "late".getBytes());

    run(builder(storage), job);

    Map<String, Entry> entries = archive(job);
    assertThat(entries).hasSize(6).doesNotContainKey(ExportArchive.entryOf(late));
    assertThat(data(entries).path("files")).hasSize(5);
  }

  @Test
  void askingAgainWhileBuildingOrSoonAfterIsTheSameExportAndLaterANewOneReplacesIt()
      throws Exception {
    user(ada, 3, 0);
    ExportView first = service.request(ada);
    assertThat(service.request(ada).id()).as("while building").isEqualTo(first.id());
    AccountExport job = exports.find("ada").orElseThrow();
    run(builder(storage), job);
    assertThat(service.request(ada).id()).as("ready, within the hour").isEqualTo(first.id());

    clock.advance(AccountExport.REUSE.plusSeconds(1));
    ExportView second = service.request(ada);
    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(second.status()).isEqualTo("building");
    // A step of the first job still in flight finds it replaced and writes nothing.
    assertThat(builder(storage).step("ada", first.id())).isFalse();
    run(builder(storage), exports.find("ada").orElseThrow());
    assertThat(exportObjects("ada"))
        .as("the older archive was deleted")
        .containsExactly(builder(storage).archiveOf(exports.find("ada").orElseThrow()));
  }

  @Test
  void anArchiveIsDeletedAfterItsRetentionAndNoURLIsGivenOut() throws Exception {
    user(ada, 2, 0);
    service.request(ada);
    run(builder(storage), exports.find("ada").orElseThrow());
    clock.advance(AccountExport.RETENTION.minusSeconds(60));
    assertThat(service.expire(100)).isZero();
    clock.advance(Duration.ofSeconds(120));
    assertThat(service.expire(100)).isEqualTo(1);
    assertThat(exportObjects("ada")).isEmpty();
    ExportView expired = service.own(ada);
    assertThat(expired.status()).isEqualTo("expired");
    assertThat(expired.url()).isNull();
    assertThat(service.expire(100)).as("once").isZero();
  }

  @Test
  void deletingTheAccountWhileAnExportRunsLeavesNoExportBehind() {
    user(ada, 450, 2);
    service.request(ada);
    AccountExport job = exports.find("ada").orElseThrow();
    ExportBuilder builder = builder(storage);
    assertThat(builder.step("ada", job.id())).isTrue();
    assertThat(exportObjects("ada")).isNotEmpty();

    deletions.start("ada", "self", clock.instant());
    AccountEraser eraser =
        new AccountEraser(
            new AccountEraser.Ports(
                deletions,
                exports,
                new InMemoryWebhookEndpoints(),
                new InMemoryWebhookDeliveries(),
                uploads,
                files,
                storage,
                notifications,
                users,
                new InMemoryDeliveryLog(),
                new InMemoryEventClaims(),
                new InMemoryUserCache(clock, Duration.ofMinutes(2), Duration.ofSeconds(5)),
                new InMemoryIdentityAdmin(clock),
                clock),
            new AccountEraser.Settings("uploads", FILES, 200));
    // The export's next step runs while the deletion does, half-way through it.
    for (int i = 0; i < 3; i++) {
      eraser.step("ada");
    }
    builder.step("ada", job.id());
    while (eraser.step("ada")) {
      builder.step("ada", job.id());
    }
    assertThat(builder.step("ada", job.id())).isFalse();

    assertThat(exportObjects("ada")).isEmpty();
    assertThat(exports.find("ada")).isEmpty();
    assertThatThrownBy(() -> service.request(ada))
        .isInstanceOf(Conflict.class)
        .hasMessageContaining("being deleted");
  }

  @Test
  void anAccountWithNothingExportsItsProfileAlone() throws Exception {
    user(ada, 0, 0);
    service.request(ada);
    AccountExport job = exports.find("ada").orElseThrow();
    assertThat(run(builder(storage), job)).isEqualTo(4);
    Map<String, Entry> entries = archive(job);
    assertThat(entries).containsOnlyKeys("cirrus-export/data.json");
    assertThat(data(entries).path("files")).isEmpty();
    assertThat(data(entries).path("notifications")).isEmpty();
  }
}
