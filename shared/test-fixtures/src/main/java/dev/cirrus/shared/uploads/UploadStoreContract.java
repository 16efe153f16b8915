package dev.cirrus.shared.uploads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.error.Conflict;
import dev.cirrus.shared.files.FileRecord;
import dev.cirrus.shared.storage.ObjectRef;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.Settings;
import dev.cirrus.shared.users.UserRecord;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link UploadStore} adapter must have; one subclass per adapter. */
public abstract class UploadStoreContract {
  private static final Duration TTL = Duration.ofHours(24);
  private static final LocalDate DAY = LocalDate.parse("2026-12-02");
  protected final Instant t0 = Instant.parse("2026-12-02T10:00:00Z");
  private final String owner = "owner-" + UUID.randomUUID();

  protected abstract UploadStore store();

  protected Upload upload(long size, Instant at) {
    return upload(owner, size, at);
  }

  private Upload upload(String owner, long size, Instant at) {
    String id = UUID.randomUUID().toString().replace("-", "");
    return new Upload(
        id,
        owner,
        "f.txt",
        "text/plain",
        size,
        Optional.empty(),
        Optional.empty(),
        new ObjectRef("uploads-bucket", Upload.objectName(owner, id)),
        URI.create("http://127.0.0.1:1/session/" + id),
        UploadStatus.PENDING,
        Optional.empty(),
        Optional.empty(),
        at,
        at,
        at.plus(TTL),
        Optional.empty(),
        Optional.empty(),
        0,
        // Kept, so that processing continues the creating request's trace.
        Optional.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  }

  protected UserRecord fresh(long limit) {
    return new UserRecord(owner, Optional.empty(), Settings.DEFAULT, Quota.empty(limit), t0);
  }

  protected static AdmissionRules rules(int maxPending, Instant now) {
    return new AdmissionRules(maxPending, Long.MAX_VALUE, 1000, Long.MAX_VALUE, now);
  }

  private Upload create(long size, long limit, int maxPending) {
    return store().create(upload(size, t0), fresh(limit), rules(maxPending, t0));
  }

  private FileRecord file(Upload upload) {
    return FileRecord.ready(
        upload,
        new FileRecord.Contents(
            "text/plain", upload.size(), new FileRecord.Digests("md5", "crc", "sha")),
        Optional.empty(),
        List.of(),
        FileRecord.objectPrefix(owner, upload.id()) + "original",
        t0);
  }

  @Test
  void createdUploadIsFoundAndReservesItsSize() {
    Upload created = create(300, 1000, 20);
    assertThat(store().find(created.id())).contains(created);
    assertThat(store().reservedBytes(owner)).isEqualTo(300);
    assertThat(store().admission(owner, Quota.empty(1), t0))
        .as("the owner's document was created from the fresh record")
        .isEqualTo(new Admission(Quota.empty(1000), 300, 1, new DailyUploads(DAY, 1, 300)));
  }

  @Test
  void aSecondCreateOfTheSameIdReturnsTheFirstAndReservesNothingMore() {
    Upload first = upload(300, t0);
    store().create(first, fresh(1000), rules(1, t0));
    Upload again =
        new Upload(
            first.id(),
            first.ownerUid(),
            first.filename(),
            first.contentType(),
            first.size(),
            first.md5(),
            first.crc32c(),
            first.object(),
            URI.create("http://127.0.0.1:1/session/another"),
            UploadStatus.PENDING,
            Optional.empty(),
            Optional.empty(),
            t0.plusSeconds(1),
            t0.plusSeconds(1),
            t0.plusSeconds(1).plus(TTL),
            Optional.empty(),
            Optional.empty(),
            0,
            Optional.empty());

    // At the pending cap of 1: a new upload would be refused, the same one is not.
    Upload stored = store().create(again, fresh(1000), rules(1, t0.plusSeconds(1)));

    assertThat(stored).isEqualTo(first);
    assertThat(store().find(first.id())).contains(first);
    assertThat(store().reservedBytes(owner)).isEqualTo(300);
    assertThat(store().admission(owner, Quota.empty(1), t0).daily().sessions())
        .as("one session counted")
        .isEqualTo(1);
  }

  @Test
  void createRefusesWhatTheQuotaOrThePendingCapCannotHold() {
    create(600, 1000, 2);
    assertThatThrownBy(() -> create(500, 1000, 2))
        .isInstanceOfSatisfying(
            Conflict.class, e -> assertThat(e.code()).isEqualTo("quota-exceeded"));
    create(400, 1000, 2);
    assertThatThrownBy(() -> create(1, 10_000, 2))
        .isInstanceOfSatisfying(
            Conflict.class, e -> assertThat(e.code()).isEqualTo("too-many-pending-uploads"));
    assertThat(store().reservedBytes(owner)).isEqualTo(1000);
  }

  @Test
  void abandonedSessionsExpireWhenTheOwnerNeedsTheRoom() {
    Upload old = create(900, 1000, 20);
    Instant later = t0.plus(TTL).plusSeconds(1);
    assertThat(store().admission(owner, Quota.empty(1000), later).reservedBytes())
        .as("an admission check already leaves it out")
        .isZero();
    store().create(upload(900, later), fresh(1000), rules(20, later));
    assertThat(store().find(old.id()).orElseThrow().status()).isEqualTo(UploadStatus.EXPIRED);
    assertThat(store().reservedBytes(owner)).isEqualTo(900);
  }

  @Test
  void everyCreatedSessionCountsTowardsTheOwnersDayEvenWhenAborted() {
    AdmissionRules twoADay = new AdmissionRules(20, Long.MAX_VALUE, 2, Long.MAX_VALUE, t0);
    for (int i = 0; i < 2; i++) {
      Upload u = store().create(upload(10, t0), fresh(1000), twoADay);
      store().abort(u.id(), UploadStatus.ABORTED, t0);
    }
    assertThat(store().reservedBytes(owner)).isZero();
    assertThatThrownBy(() -> store().create(upload(10, t0), fresh(1000), twoADay))
        .isInstanceOfSatisfying(
            Conflict.class, e -> assertThat(e.code()).isEqualTo("daily-upload-limit"));
    assertThat(store().admission(owner, Quota.empty(1000), t0).daily().sessions()).isEqualTo(2);
  }

  @Test
  void recentUploadsAreTheOwnersOwnNewestFirstWhateverTheirState() {
    Upload first = store().create(upload(10, t0), fresh(1000), rules(20, t0));
    Upload second =
        store().create(upload(10, t0.plusSeconds(1)), fresh(1000), rules(20, t0.plusSeconds(1)));
    store().abort(second.id(), UploadStatus.ABORTED, t0.plusSeconds(2));
    Upload third =
        store().create(upload(10, t0.plusSeconds(3)), fresh(1000), rules(20, t0.plusSeconds(3)));
    assertThat(store().recentOf(owner, 2))
        .extracting(Upload::id)
        .containsExactly(third.id(), second.id());
    assertThat(store().recentOf(owner, 10))
        .extracting(Upload::id)
        .containsExactly(third.id(), second.id(), first.id());
    assertThat(store().recentOf("someone-else-" + UUID.randomUUID(), 10)).isEmpty();
  }

  @Test
  void advanceMovesOnlyFromTheNamedStateAndOnlyForward() {
    Upload u = create(10, 1000, 20);
    assertThat(store().advance(u.id(), UploadStatus.UPLOADED, UploadStatus.PROCESSING, t0).status())
        .isEqualTo(UploadStatus.PENDING);
    assertThat(store().advance(u.id(), UploadStatus.PENDING, UploadStatus.UPLOADED, t0).status())
        .isEqualTo(UploadStatus.UPLOADED);
    assertThat(store().advance(u.id(), UploadStatus.UPLOADED, UploadStatus.PENDING, t0).status())
        .as("no way back")
        .isEqualTo(UploadStatus.UPLOADED);
  }

  @Test
  void abortReleasesOnceAndCannotStopProcessing() {
    Upload u = create(10, 1000, 20);
    assertThat(store().abort(u.id(), UploadStatus.ABORTED, t0).status())
        .isEqualTo(UploadStatus.ABORTED);
    assertThat(store().abort(u.id(), UploadStatus.EXPIRED, t0).status())
        .isEqualTo(UploadStatus.ABORTED);
    assertThat(store().reservedBytes(owner)).isZero();

    Upload busy = create(20, 1000, 20);
    store().advance(busy.id(), UploadStatus.PENDING, UploadStatus.PROCESSING, t0);
    assertThat(store().abort(busy.id(), UploadStatus.ABORTED, t0).status())
        .isEqualTo(UploadStatus.PROCESSING);
    assertThat(store().reservedBytes(owner)).isEqualTo(20);
  }

  @Test
  void promotionChargesTheQuotaOnceAndLinksTheFile() {
    Upload u = create(100, 1000, 20);
    store().advance(u.id(), UploadStatus.PENDING, UploadStatus.PROCESSING, t0);
    assertThat(store().promote(u.id(), file(u), t0.plusSeconds(1))).isPresent();
    assertThat(store().promote(u.id(), file(u), t0.plusSeconds(2))).isEmpty();

    Upload ready = store().find(u.id()).orElseThrow();
    assertThat(ready.status()).isEqualTo(UploadStatus.READY);
    assertThat(ready.fileId()).contains(u.id());
    assertThat(store().reservedBytes(owner)).isZero();
    assertThat(store().admission(owner, Quota.empty(1), t0).quota())
        .isEqualTo(new Quota(100, 1, 1000));
    assertThat(store().reject(u.id(), "late", t0)).as("a ready upload stays ready").isFalse();
  }

  @Test
  void rejectionRecordsItsReasonOnceAndChargesNothing() {
    Upload u = create(100, 1000, 20);
    assertThat(store().reject(u.id(), "type-mismatch", t0)).isTrue();
    assertThat(store().reject(u.id(), "empty", t0)).isFalse();
    Upload rejected = store().find(u.id()).orElseThrow();
    assertThat(rejected.status()).isEqualTo(UploadStatus.REJECTED);
    assertThat(rejected.reason()).contains("type-mismatch");
    assertThat(store().promote(u.id(), file(u), t0)).isEmpty();
    assertThat(store().admission(owner, Quota.empty(1), t0).quota()).isEqualTo(Quota.empty(1000));
  }

  @Test
  void finalizeNoticeIsClaimedAtMostOncePerInterval() {
    Upload u = create(10, 1000, 20);
    Duration every = Duration.ofMinutes(1);
    assertThat(store().claimFinalizeNotice(u.id(), t0, every)).isTrue();
    assertThat(store().claimFinalizeNotice(u.id(), t0.plusSeconds(59), every)).isFalse();
    assertThat(store().claimFinalizeNotice(u.id(), t0.plusSeconds(61), every)).isTrue();
    assertThat(store().find(u.id()).orElseThrow().finalizeSentAt()).contains(t0.plusSeconds(61));
  }

  @Test
  void announcementIsRecorded() {
    Upload u = create(10, 1000, 20);
    assertThat(store().find(u.id()).orElseThrow().announcedAt()).isEmpty();
    store().markAnnounced(u.id(), t0.plusSeconds(5));
    assertThat(store().find(u.id()).orElseThrow().announcedAt()).contains(t0.plusSeconds(5));
  }

  @Test
  void parallelCreatesOfOneOwnerNeverExceedTheQuota() {
    List<CompletableFuture<Boolean>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  create(300, 1000, 20);
                  return true;
                } catch (Conflict refused) {
                  return false;
                }
              }));
    }
    assertThat(calls.stream().map(CompletableFuture::join).filter(b -> b)).hasSize(3);
    assertThat(store().reservedBytes(owner)).isEqualTo(900);
  }

  @Test
  void sweeperQueriesFindExpiredSessionsAndStuckUploads() {
    Upload pending = create(10, 1000, 20);
    Upload stuck = create(10, 1000, 20);
    store().advance(stuck.id(), UploadStatus.PENDING, UploadStatus.PROCESSING, t0.plusSeconds(5));
    Instant late = t0.plus(TTL).plusSeconds(1);

    assertThat(store().expiredPending(late, 1000)).extracting(Upload::id).contains(pending.id());
    assertThat(store().expiredPending(t0, 1000))
        .extracting(Upload::id)
        .doesNotContain(pending.id());
    assertThat(store().stuck(t0.plusSeconds(6), 1000))
        .extracting(Upload::id)
        .contains(stuck.id())
        .doesNotContain(pending.id());
    assertThat(store().stuck(t0.plusSeconds(5), 1000))
        .extracting(Upload::id)
        .doesNotContain(stuck.id());
  }

  @Test
  void ofTwoRedrivesOfTheSameSightingOneWins() {
    Upload u = create(10, 1000, 20);
    Upload processing =
        store().advance(u.id(), UploadStatus.PENDING, UploadStatus.PROCESSING, t0.plusSeconds(1));
    Instant now = t0.plusSeconds(900);

    Optional<Upload> first = store().recordRedrive(u.id(), processing.updatedAt(), now);
    Optional<Upload> second = store().recordRedrive(u.id(), processing.updatedAt(), now);

    assertThat(first).hasValueSatisfying(r -> assertThat(r.redrives()).isEqualTo(1));
    assertThat(second).isEmpty();
    Upload stored = store().find(u.id()).orElseThrow();
    assertThat(stored.redrives()).isEqualTo(1);
    assertThat(stored.updatedAt()).isEqualTo(now);
    assertThat(store().recordRedrive(create(10, 1000, 20).id(), t0, now))
        .as("a pending upload is not re-driven")
        .isEmpty();
  }

  @Test
  void aFailedUploadReleasesItsReservation() {
    Upload u = create(300, 1000, 20);
    store().advance(u.id(), UploadStatus.PENDING, UploadStatus.PROCESSING, t0);
    assertThat(store().abort(u.id(), UploadStatus.FAILED, t0.plusSeconds(1)).status())
        .isEqualTo(UploadStatus.FAILED);
    assertThat(store().reservedBytes(owner)).isZero();
  }

  @Test
  void anOwnersUploadsInEveryStatusArePagedAndErasedOneByOne() {
    Upload pending = create(10, 1000, 5);
    Upload ended = create(10, 1000, 5);
    store().abort(ended.id(), UploadStatus.ABORTED, t0.plusSeconds(1));
    Upload someoneElses =
        store().create(upload("other-" + UUID.randomUUID(), 10, t0), fresh(1000), rules(5, t0));

    assertThat(store().ofOwner(owner, 10))
        .extracting(Upload::id)
        .containsExactlyInAnyOrder(pending.id(), ended.id());
    assertThat(store().ofOwner(owner, 1)).hasSize(1);
    store().erase(pending.id());
    store().erase(pending.id());
    assertThat(store().find(pending.id())).isEmpty();
    assertThat(store().ofOwner(owner, 10)).extracting(Upload::id).containsExactly(ended.id());
    assertThat(store().find(someoneElses.id())).isPresent();
  }
}
