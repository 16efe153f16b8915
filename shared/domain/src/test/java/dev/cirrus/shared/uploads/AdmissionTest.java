package dev.cirrus.shared.uploads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.auth.Standing;
import dev.cirrus.shared.config.CirrusConfig;
import dev.cirrus.shared.config.Limits;
import dev.cirrus.shared.error.Conflict;
import dev.cirrus.shared.users.Quota;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  private static final Quota QUOTA = new Quota(600, 3, 1000);
  private static final Quota ROOMY = new Quota(0, 0, 1_000_000);
  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
  private static final AdmissionRules RULES =
      AdmissionRules.of(20, Limits.DEFAULTS, Standing.VERIFIED, NOW);

  private static Admission admission(Quota quota, long reserved, int inFlight) {
    return new Admission(quota, reserved, inFlight, DailyUploads.none(NOW));
  }

  private static void assertCode(Runnable call, String code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(Conflict.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void uploadThatFitsWhatIsLeftAfterUsedAndReservedIsAdmitted() {
    assertThatCode(() -> admission(QUOTA, 300, 2).require(100, RULES)).doesNotThrowAnyException();
  }

  @Test
  void uploadLargerThanWhatIsLeftIsRefused() {
    assertThatThrownBy(() -> admission(QUOTA, 300, 2).require(101, RULES))
        .isInstanceOfSatisfying(
            Conflict.class, e -> assertThat(e.code()).isEqualTo("quota-exceeded"))
        .hasMessageContaining("100 are free");
  }

  @Test
  void ownerOverTheirLimitIsToldNothingIsFreeNotANegativeNumber() {
    assertThatThrownBy(() -> admission(new Quota(1200, 3, 1000), 0, 0).require(1, RULES))
        .hasMessageContaining("0 are free");
  }

  @Test
  void pendingCapIsCheckedBeforeTheQuota() {
    assertCode(() -> admission(QUOTA, 0, 20).require(1, RULES), "too-many-pending-uploads");
  }

  @Test
  void anUnverifiedOrAnonymousAccountGetsTheSmallerQuotaOfItsStanding() {
    Limits limits = Limits.DEFAULTS;
    Quota fiveGib = Quota.empty(limits.defaultQuotaBytes());
    long mib = 1024 * 1024;
    for (Standing standing : Standing.values()) {
      AdmissionRules rules = AdmissionRules.of(20, limits, standing, NOW);
      long cap = standing == Standing.VERIFIED ? limits.defaultQuotaBytes() : rules.quotaCapBytes();
      assertThatCode(() -> admission(fiveGib, 0, 0).require(cap, rules)).doesNotThrowAnyException();
      assertCode(() -> admission(fiveGib, 0, 0).require(cap + 1, rules), "quota-exceeded");
    }
    assertThat(AdmissionRules.of(20, limits, Standing.UNVERIFIED, NOW).quotaCapBytes())
        .isEqualTo(100 * mib);
    assertThat(AdmissionRules.of(20, limits, Standing.ANONYMOUS, NOW).quotaCapBytes())
        .isEqualTo(20 * mib);
  }

  @Test
  void aCreateAndAbortLoopRunsOutOfItsDailySessionsAndTheBudgetComesBackTheNextDay() {
    AdmissionRules rules = new AdmissionRules(20, Long.MAX_VALUE, 3, Long.MAX_VALUE, NOW);
    DailyUploads today = DailyUploads.none(NOW);
    for (int i = 0; i < 3; i++) {
      // Aborting releases the reservation (nothing in flight) but not the day's count.
      today = new Admission(QUOTA, 0, 0, today).require(1, rules);
    }
    DailyUploads spent = today;
    assertCode(() -> new Admission(QUOTA, 0, 0, spent).require(1, rules), "daily-upload-limit");
    AdmissionRules tomorrow =
        new AdmissionRules(20, Long.MAX_VALUE, 3, Long.MAX_VALUE, NOW.plus(Duration.ofDays(1)));
    assertThat(new Admission(QUOTA, 0, 0, spent).require(1, tomorrow).sessions()).isEqualTo(1);
  }

  @Test
  void theDailyBytesCountWhatWasDeclaredNotWhatWasKept() {
    AdmissionRules rules = new AdmissionRules(20, Long.MAX_VALUE, 100, 1000, NOW);
    DailyUploads after = new Admission(ROOMY, 0, 0, DailyUploads.none(NOW)).require(400, rules);
    assertThatThrownBy(() -> new Admission(ROOMY, 0, 0, after).require(601, rules))
        .isInstanceOfSatisfying(
            Conflict.class, e -> assertThat(e.code()).isEqualTo("daily-upload-limit"))
        .hasMessageContaining("600 are left today");
  }

  @Test
  void badDailyLimitsAreAStartUpErrorNamingTheVariable() {
    assertThatThrownBy(
            () ->
                CirrusConfig.fromEnvironment(
                    Map.of("GOOGLE_CLOUD_PROJECT", "demo-x", "CIRRUS_DAILY_UPLOAD_SESSIONS", "0")))
        .hasMessageContaining("CIRRUS_DAILY_UPLOAD_SESSIONS");
  }
}
