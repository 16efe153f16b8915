package dev.cirrus.shared.uploads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.uploads.UploadLifecycle.QuotaEffect;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class UploadLifecycleTest {

  @Test
  void theHappyPathsKeepTheReservationUntilTheFileChargesIt() {
    assertThat(UploadLifecycle.step(UploadStatus.PENDING, UploadStatus.UPLOADED))
        .hasValueSatisfying(s -> assertThat(s.quota()).isEqualTo(QuotaEffect.NONE));
    assertThat(UploadLifecycle.step(UploadStatus.UPLOADED, UploadStatus.PROCESSING))
        .hasValueSatisfying(s -> assertThat(s.quota()).isEqualTo(QuotaEffect.NONE));
    assertThat(UploadLifecycle.step(UploadStatus.PENDING, UploadStatus.PROCESSING))
        .as("a finalize event may come before :complete, or instead of it")
        .isPresent();
    assertThat(UploadLifecycle.step(UploadStatus.PROCESSING, UploadStatus.READY))
        .hasValueSatisfying(s -> assertThat(s.quota()).isEqualTo(QuotaEffect.CHARGE));
  }

  @Test
  void endingWithoutAFileReleasesTheReservation() {
    for (UploadStatus from : EnumSet.of(UploadStatus.PENDING, UploadStatus.UPLOADED)) {
      for (UploadStatus to :
          EnumSet.of(UploadStatus.ABORTED, UploadStatus.EXPIRED, UploadStatus.REJECTED)) {
        assertThat(UploadLifecycle.step(from, to))
            .as(from + " -> " + to)
            .hasValueSatisfying(s -> assertThat(s.quota()).isEqualTo(QuotaEffect.RELEASE));
      }
    }
    assertThat(UploadLifecycle.step(UploadStatus.PROCESSING, UploadStatus.REJECTED))
        .hasValueSatisfying(s -> assertThat(s.quota()).isEqualTo(QuotaEffect.RELEASE));
  }

  @Test
  void anUploadBeingProcessedCanNeitherBeAbortedNorExpire() {
    assertThat(UploadLifecycle.end(UploadStatus.PROCESSING, UploadStatus.ABORTED)).isEmpty();
    assertThat(UploadLifecycle.end(UploadStatus.PROCESSING, UploadStatus.EXPIRED)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = UploadStatus.class,
      names = {"READY", "REJECTED", "ABORTED", "EXPIRED"})
  void finalStatesAreFinal(UploadStatus done) {
    for (UploadStatus to : UploadStatus.values()) {
      assertThat(UploadLifecycle.step(done, to)).as(done + " -> " + to).isEmpty();
    }
  }

  @Test
  void nothingGoesBackwards() {
    Set<UploadStatus> earlier = EnumSet.of(UploadStatus.PENDING, UploadStatus.UPLOADED);
    for (UploadStatus to : earlier) {
      assertThat(UploadLifecycle.step(UploadStatus.PROCESSING, to)).isEmpty();
    }
    assertThat(UploadLifecycle.step(UploadStatus.UPLOADED, UploadStatus.PENDING)).isEmpty();
    assertThat(UploadLifecycle.step(UploadStatus.PENDING, UploadStatus.PENDING)).isEmpty();
  }

  @Test
  void onlyAbortingAndExpiringEndAnUploadWithoutAVerdict() {
    assertThatThrownBy(() -> UploadLifecycle.end(UploadStatus.PENDING, UploadStatus.READY))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
