package dev.cirrus.shared.uploads;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.shared.storage.ObjectRef;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The guards every upload store applies inside its writes, written once here. */
class UploadGuardsTest {
  private static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");

  private static Upload upload(UploadStatus status) {
    return new Upload(
        "u1",
        "alice",
        "a.jpg",
        "image/jpeg",
        10,
        Optional.empty(),
        Optional.empty(),
        new ObjectRef("uploads-bucket", Upload.objectName("alice", "u1")),
        URI.create("http://127.0.0.1/session"),
        status,
        Optional.empty(),
        Optional.empty(),
        T0,
        T0,
        T0.plus(Duration.ofHours(1)),
        Optional.empty(),
        Optional.empty(),
        0,
        Optional.empty());
  }

  @Test
  void advanceMovesOnlyFromTheStateTheCallerSawAndOnlyAlongTheLifecycle() {
    assertThat(upload(UploadStatus.PENDING).mayAdvance(UploadStatus.PENDING, UploadStatus.UPLOADED))
        .isTrue();
    assertThat(
            upload(UploadStatus.UPLOADED).mayAdvance(UploadStatus.PENDING, UploadStatus.UPLOADED))
        .as("someone else moved it first")
        .isFalse();
    assertThat(upload(UploadStatus.READY).mayAdvance(UploadStatus.READY, UploadStatus.PENDING))
        .isFalse();
  }

  @Test
  void aFinishedUploadBecomesNothingElse() {
    assertThat(upload(UploadStatus.PROCESSING).mayBecome(UploadStatus.READY)).isTrue();
    assertThat(upload(UploadStatus.READY).mayBecome(UploadStatus.REJECTED)).isFalse();
    assertThat(upload(UploadStatus.REJECTED).mayBecome(UploadStatus.READY)).isFalse();
    assertThat(upload(UploadStatus.PROCESSING).mayEnd(UploadStatus.ABORTED))
        .as("bytes being processed cannot be aborted")
        .isFalse();
    assertThat(upload(UploadStatus.PENDING).mayEnd(UploadStatus.EXPIRED)).isTrue();
  }

  @Test
  void theFinalizeNoticeIsDueOnceAMinuteAtMost() {
    Upload sent = upload(UploadStatus.UPLOADED).withFinalizeSentAt(T0);
    assertThat(upload(UploadStatus.UPLOADED).finalizeNoticeDue(T0, Duration.ofMinutes(1))).isTrue();
    assertThat(sent.finalizeNoticeDue(T0.plusSeconds(59), Duration.ofMinutes(1))).isFalse();
    assertThat(sent.finalizeNoticeDue(T0.plusSeconds(60), Duration.ofMinutes(1))).isTrue();
  }

  @Test
  void onlyUploadedOrProcessingUploadsAreStuckAndARedriveNeedsTheStateTheSweeperSaw() {
    Instant later = T0.plus(Duration.ofMinutes(20));
    assertThat(upload(UploadStatus.PROCESSING).stuckSince(later)).isTrue();
    assertThat(upload(UploadStatus.PENDING).stuckSince(later)).isFalse();
    assertThat(upload(UploadStatus.PROCESSING).stuckSince(T0)).isFalse();
    assertThat(upload(UploadStatus.UPLOADED).mayRedrive(T0)).isTrue();
    assertThat(upload(UploadStatus.UPLOADED).redriven(later).mayRedrive(T0))
        .as("another sweep re-drove it since")
        .isFalse();
    assertThat(upload(UploadStatus.READY).mayRedrive(T0)).isFalse();
  }

  @Test
  void aPendingUploadExpiresWhenItsSessionRunsOut() {
    assertThat(upload(UploadStatus.PENDING).expiredAt(T0.plus(Duration.ofMinutes(61)))).isTrue();
    assertThat(upload(UploadStatus.PENDING).expiredAt(T0.plus(Duration.ofMinutes(59)))).isFalse();
    assertThat(upload(UploadStatus.UPLOADED).expiredAt(T0.plus(Duration.ofDays(1)))).isFalse();
  }
}
