package dev.cirrus.shared.uploads;

import dev.cirrus.shared.auth.Standing;
import dev.cirrus.shared.config.Limits;
import dev.cirrus.shared.users.QuotaTier;
import java.time.Instant;

/**
 * What a new upload is admitted against, beside the owner's quota: the cap on pending uploads, the
 * cap its standing puts on the quota ({@link Standing}), and the daily budget of sessions and
 * bytes.
 *
 * @param quotaCapBytes the most the owner may store, whatever the quota document says
 */
public record AdmissionRules(
    int maxPending, long quotaCapBytes, int dailySessions, long dailyBytes, Instant now) {

  public static AdmissionRules of(int maxPending, Limits limits, Standing standing, Instant now) {
    return new AdmissionRules(
        maxPending,
        QuotaTier.capFor(limits, standing),
        limits.dailyUploadSessions(),
        limits.dailyUploadBytes(),
        now);
  }
}
