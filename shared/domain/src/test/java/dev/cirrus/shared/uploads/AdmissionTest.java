package dev.cirrus.shared.uploads;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.error.Conflict;
import dev.cirrus.shared.users.Quota;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  private static final Quota QUOTA = new Quota(600, 3, 1000);

  @Test
  void uploadThatFitsWhatIsLeftAfterUsedAndReservedIsAdmitted() {
    assertThatCode(() -> new Admission(QUOTA, 300, 2).require(100, 20)).doesNotThrowAnyException();
  }

  @Test
  void uploadLargerThanWhatIsLeftIsRefused() {
    assertThatThrownBy(() -> new Admission(QUOTA, 300, 2).require(101, 20))
        .isInstanceOfSatisfying(
            Conflict.class,
            e -> org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo("quota-exceeded"))
        .hasMessageContaining("100 are free");
  }

  @Test
  void ownerOverTheirLimitIsToldNothingIsFreeNotANegativeNumber() {
    assertThatThrownBy(() -> new Admission(new Quota(1200, 3, 1000), 0, 0).require(1, 20))
        .hasMessageContaining("0 are free");
  }

  @Test
  void pendingCapIsCheckedBeforeTheQuota() {
    assertThatThrownBy(() -> new Admission(QUOTA, 0, 20).require(1, 20))
        .isInstanceOfSatisfying(
            Conflict.class,
            e ->
                org.assertj.core.api.Assertions.assertThat(e.code())
                    .isEqualTo("too-many-pending-uploads"));
  }
}
