package dev.cirrus.shared.uploads;

import dev.cirrus.shared.error.Conflict;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * What one user has started uploading on one day (UTC), kept on their user document and counted in
 * the transaction that creates an upload: sessions opened and bytes declared, aborted ones
 * included, so a create-and-abort loop runs out like any other.
 */
public record DailyUploads(LocalDate day, int sessions, long bytes) {

  public static DailyUploads none(Instant now) {
    return new DailyUploads(dayOf(now), 0, 0);
  }

  /**
   * The count after one more upload of {@code size}.
   *
   * @throws Conflict {@code daily-upload-limit} when it would pass a budget of {@code rules}
   */
  public DailyUploads plus(long size, AdmissionRules rules) {
    DailyUploads today = day.equals(dayOf(rules.now())) ? this : none(rules.now());
    if (today.sessions >= rules.dailySessions()) {
      throw new Conflict(
          "daily-upload-limit",
          "at most "
              + rules.dailySessions()
              + " uploads may be started a day; try again tomorrow (UTC)");
    }
    if (today.bytes + size > rules.dailyBytes()) {
      throw new Conflict(
          "daily-upload-limit",
          "at most "
              + rules.dailyBytes()
              + " bytes may be uploaded a day; "
              + Math.max(0, rules.dailyBytes() - today.bytes)
              + " are left today (UTC)");
    }
    return new DailyUploads(today.day, today.sessions + 1, today.bytes + size);
  }

  private static LocalDate dayOf(Instant now) {
    return LocalDate.ofInstant(now, ZoneOffset.UTC);
  }
}
