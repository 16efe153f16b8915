package dev.cirrus.shared.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.adapter.memory.InMemoryFileStore;
import dev.cirrus.shared.adapter.memory.InMemoryObjectStorage;
import dev.cirrus.shared.adapter.memory.InMemoryUploadStore;
import dev.cirrus.shared.adapter.memory.InMemoryUserCache;
import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.error.BadRequest;
import dev.cirrus.shared.error.NotFound;
import dev.cirrus.shared.error.PermissionDenied;
import dev.cirrus.shared.error.PreconditionFailed;
import dev.cirrus.shared.events.FileEvent;
import dev.cirrus.shared.events.Topics;
import dev.cirrus.shared.json.JsonCodec;
import dev.cirrus.shared.json.JsonMessageCodec;
import dev.cirrus.shared.storage.ObjectRef;
import dev.cirrus.shared.testing.MutableClock;
import dev.cirrus.shared.testing.RecordingEventBus;
import dev.cirrus.shared.testing.TestFiles;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.Settings;
import dev.cirrus.shared.users.UserRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The files service's rules on the in-memory adapters: access, ETags, listing, deletion. */
class FileServiceTest {
  private static final String BUCKET = "files";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
  private final InMemoryUploadStore uploads = new InMemoryUploadStore();
  private final InMemoryFileStore files = new InMemoryFileStore(uploads);
  private final InMemoryObjectStorage storage = new InMemoryObjectStorage(clock);
  private final RecordingEventBus bus = new RecordingEventBus();
  private final InMemoryUserCache userCache =
      new InMemoryUserCache(clock, Duration.ofMinutes(2), Duration.ofSeconds(5));
  private final FileService service =
      new FileService(
          files, userCache, storage, bus, new JsonMessageCodec(new JsonCodec()), clock, BUCKET);
  private final Principal ada = new Principal("ada", Optional.empty(), Set.of());
  private final Principal bob = new Principal("bob", Optional.empty(), Set.of());
  private final Principal admin = new Principal("root", Optional.empty(), Set.of(Principal.ADMIN));

  private FileRecord stored(Principal owner, long size) {
    FileRecord file = TestFiles.ready(owner.uid(), clock.instant(), size);
    files.put(file, new Quota(size, 1, 1000));
    storage.write(new ObjectRef(BUCKET, file.originalObject()), "text/plain", new byte[(int) size]);
    clock.advance(Duration.ofSeconds(1));
    return file;
  }

  @Test
  void ownersAndAdminsSeeAFileAndStrangersAreToldItDoesNotExist() {
    FileRecord file = stored(ada, 10);
    assertThat(service.get(ada, file.id())).isEqualTo(file);
    assertThat(service.get(admin, file.id())).isEqualTo(file);
    assertThatThrownBy(() -> service.get(bob, file.id())).isInstanceOf(NotFound.class);
    assertThatThrownBy(() -> service.get(ada, "../etc")).isInstanceOf(NotFound.class);
  }

  @Test
  void anEditNeedsTheCurrentEtagWhenOneIsGiven() {
    FileRecord file = stored(ada, 10);
    FileRecord renamed =
        service.update(
            ada, file.id(), Optional.of(file.etag()), Optional.of("b.txt"), Optional.empty());
    assertThat(renamed.filename()).isEqualTo("b.txt");
    assertThatThrownBy(
            () ->
                service.update(
                    ada,
                    file.id(),
                    Optional.of(file.etag()),
                    Optional.of("c.txt"),
                    Optional.empty()))
        .isInstanceOf(PreconditionFailed.class);
    assertThatThrownBy(
            () ->
                service.update(
                    ada, file.id(), Optional.empty(), Optional.empty(), Optional.empty()))
        .isInstanceOf(BadRequest.class);
  }

  @Test
  void listingIsOnesOwnUnlessAnAdminAsksForAnothers() {
    stored(ada, 1);
    stored(ada, 2);
    stored(bob, 3);
    assertThat(
            service
                .list(ada, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty())
                .files())
        .hasSize(2);
    assertThatThrownBy(
            () ->
                service.list(
                    ada, Optional.of("bob"), Optional.empty(), Optional.empty(), Optional.empty()))
        .isInstanceOf(PermissionDenied.class);
    assertThat(
            service
                .list(
                    admin, Optional.of("bob"), Optional.empty(), Optional.empty(), Optional.empty())
                .files())
        .hasSize(1);
    assertThatThrownBy(
            () ->
                service.list(
                    ada,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of("deleted")))
        .isInstanceOf(BadRequest.class);
  }

  @Test
  void deletingRemovesTheBytesReleasesTheQuotaAndAnnouncesOnce() {
    FileRecord file = stored(ada, 10);
    userCache.remember(
        new UserRecord(
            "ada", Optional.empty(), Settings.DEFAULT, new Quota(10, 1, 1000), clock.instant()));
    service.delete(ada, file.id());
    assertThat(userCache.find("ada")).as("the profile showing the old quota").isEmpty();
    service.delete(ada, file.id());
    assertThat(storage.stat(new ObjectRef(BUCKET, file.originalObject()))).isEmpty();
    assertThat(uploads.admission("ada", Quota.empty(0), clock.instant()).quota())
        .isEqualTo(new Quota(0, 0, 1000));
    assertThat(bus.on(Topics.FILE_EVENTS))
        .singleElement()
        .satisfies(m -> assertThat(m.attributes()).containsEntry("type", FileEvent.DELETED));
    assertThatThrownBy(() -> service.get(ada, file.id())).isInstanceOf(NotFound.class);
  }
}
