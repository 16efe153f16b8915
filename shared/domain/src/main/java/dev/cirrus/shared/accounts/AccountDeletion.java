package dev.cirrus.shared.accounts;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/**
 * The job that deletes one account and everything of its user, {@code accountDeletions/{uid}}. It
 * holds no personal data (the uid, who asked, when, how far, how much went), so it stays when the
 * account is gone: it answers {@code GET /v1/me/deletion}, and it keeps a token still in the
 * verifier's cache from making the profile anew.
 *
 * @param requestedBy {@code self}, {@code admin:<uid>} or {@code sweeper} (deleted in Firebase Auth
 *     directly)
 * @param phase what the next step does
 */
public record AccountDeletion(
    String uid,
    String requestedBy,
    Phase phase,
    Instant requestedAt,
    Instant updatedAt,
    Optional<Instant> finishedAt,
    Erased erased) {

  /** What is deleted, in this order: bytes before the documents that name them, identity last. */
  public enum Phase {
    /** Open sessions cancelled, quarantined bytes and upload documents deleted. */
    UPLOADS,
    /** Every file's objects, then its document (tombstones too). */
    FILES,
    /** The data export job: its steps then delete what they wrote. */
    EXPORTS,
    /** The user's webhook endpoints and their deliveries' records. */
    WEBHOOKS,
    /** Whatever is left under the user's prefixes in either bucket (exports' archives too). */
    OBJECTS,
    NOTIFICATIONS,
    DEVICES,
    /** The user's device keys in push delivery records; processing records of their objects. */
    DELIVERIES,
    /** The user document, if nothing above came back meanwhile; otherwise round again. */
    PROFILE,
    /** The Firebase Auth user. */
    IDENTITY,
    DONE;

    public Phase next() {
      return this == DONE ? DONE : values()[ordinal() + 1];
    }

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

  /**
   * How much each phase deleted so far.
   *
   * @param records push delivery records the user was taken out of, and processing records of their
   *     objects
   */
  public record Erased(
      long uploads, long files, long objects, long notifications, long devices, long records) {
    public static final Erased NONE = new Erased(0, 0, 0, 0, 0, 0);

    public Erased plus(Erased o) {
      return new Erased(
          uploads + o.uploads,
          files + o.files,
          objects + o.objects,
          notifications + o.notifications,
          devices + o.devices,
          records + o.records);
    }
  }

  /** A new job, at its first phase. */
  public static AccountDeletion requested(String uid, String requestedBy, Instant now) {
    Instant at = stored(now);
    return new AccountDeletion(
        uid, requestedBy, Phase.UPLOADS, at, at, Optional.empty(), Erased.NONE);
  }

  /** Times as Firestore keeps them, in microseconds: a job reads back as it was written. */
  private static Instant stored(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS);
  }

  public boolean isDone() {
    return phase == Phase.DONE;
  }

  /** The job after a step: at {@code next}, with what the step deleted added. */
  public AccountDeletion after(Phase next, Erased step, Instant time) {
    Instant now = stored(time);
    return new AccountDeletion(
        uid,
        requestedBy,
        next,
        requestedAt,
        now,
        next == Phase.DONE ? Optional.of(now) : Optional.empty(),
        erased.plus(step));
  }
}
