package dev.cirrus.shared.exports;

import dev.cirrus.shared.paging.Cursor;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/**
 * The job that builds a user's data export, {@code accountExports/{uid}}: one per user, replaced by
 * the next request. The archive it builds is a tar of the originals and {@code data.json}, made of
 * parts that Cloud Storage composes, so no step holds more than one part's worth of work.
 *
 * @param id names its objects; a step of a job that was replaced or cancelled finds another id (or
 *     none) and discards what it wrote
 * @param after the last file packed, in the files listing's order (newest first)
 * @param parts how many parts of originals are written
 * @param files originals packed so far
 * @param bytes their bytes
 * @param archiveSize the archive's bytes, once assembled
 */
public record AccountExport(
    String uid,
    String id,
    Phase phase,
    Instant requestedAt,
    Instant updatedAt,
    Optional<Cursor> after,
    int parts,
    long files,
    long bytes,
    Optional<Instant> readyAt,
    Optional<Instant> expiresAt,
    long archiveSize) {

  /** How long an archive is kept, and its signed URL handed out. */
  public static final Duration RETENTION = Duration.ofDays(7);

  /** A request within this time of the last one is answered with it: no rebuild storms. */
  public static final Duration REUSE = Duration.ofHours(1);

  /** What the next step does. */
  public enum Phase {
    /** Packs one part of originals (up to a budget of files and bytes). */
    ORIGINALS,
    /** Writes {@code data.json}: profile, settings, files' metadata, notifications. */
    DATA,
    /** Composes the parts into the archive. */
    ASSEMBLE,
    /** The archive is ready; the parts and any older export are deleted. */
    CLEANUP,
    DONE,
    /** The archive was deleted after {@link #RETENTION}. */
    EXPIRED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Phase> parse(String wireName) {
      for (Phase phase : values()) {
        if (phase.wireName().equals(wireName)) {
          return Optional.of(phase);
        }
      }
      return Optional.empty();
    }
  }

  /** A new job, at its first phase. */
  public static AccountExport requested(String uid, String id, Instant now) {
    Instant at = stored(now);
    return new AccountExport(
        uid,
        id,
        Phase.ORIGINALS,
        at,
        at,
        Optional.empty(),
        0,
        0,
        0,
        Optional.empty(),
        Optional.empty(),
        0);
  }

  /** Times as Firestore keeps them, in microseconds: a job reads back as it was written. */
  private static Instant stored(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS);
  }

  public boolean isBuilding() {
    return phase == Phase.ORIGINALS || phase == Phase.DATA || phase == Phase.ASSEMBLE;
  }

  /** Whether its archive exists (until it expires). */
  public boolean hasArchive() {
    return phase == Phase.CLEANUP || phase == Phase.DONE;
  }

  /** Whether steps are still to run: building, or cleaning up after. */
  public boolean isRunning() {
    return isBuilding() || phase == Phase.CLEANUP;
  }

  /**
   * Whether a request made at {@code now} gets this job rather than a new one: it is still being
   * built, or its archive is fresh.
   */
  public boolean answersRequestAt(Instant now) {
    return isBuilding() || (hasArchive() && requestedAt.plus(REUSE).isAfter(now));
  }

  /** The job after a part of originals was written. */
  public AccountExport packed(Cursor last, long moreFiles, long moreBytes, Instant now) {
    return new AccountExport(
        uid,
        id,
        phase,
        requestedAt,
        stored(now),
        Optional.of(last),
        parts + 1,
        files + moreFiles,
        bytes + moreBytes,
        readyAt,
        expiresAt,
        archiveSize);
  }

  /** The job from its first step again, as if just requested (its parts are written anew). */
  public AccountExport restarted(Instant now) {
    return new AccountExport(
        uid,
        id,
        Phase.ORIGINALS,
        requestedAt,
        stored(now),
        Optional.empty(),
        0,
        0,
        0,
        Optional.empty(),
        Optional.empty(),
        0);
  }

  /** The job at {@code next}, otherwise as it is. */
  public AccountExport at(Phase next, Instant now) {
    return new AccountExport(
        uid,
        id,
        next,
        requestedAt,
        stored(now),
        after,
        parts,
        files,
        bytes,
        readyAt,
        next == Phase.EXPIRED ? Optional.empty() : expiresAt,
        archiveSize);
  }

  /** The job once its archive of {@code size} bytes is assembled: kept for {@link #RETENTION}. */
  public AccountExport assembled(long size, Instant time) {
    Instant now = stored(time);
    return new AccountExport(
        uid,
        id,
        Phase.CLEANUP,
        requestedAt,
        now,
        after,
        parts,
        files,
        bytes,
        Optional.of(now),
        Optional.of(now.plus(RETENTION)),
        size);
  }
}
