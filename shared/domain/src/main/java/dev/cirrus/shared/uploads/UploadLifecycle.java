package dev.cirrus.shared.uploads;

import static dev.cirrus.shared.uploads.UploadStatus.ABORTED;
import static dev.cirrus.shared.uploads.UploadStatus.EXPIRED;
import static dev.cirrus.shared.uploads.UploadStatus.FAILED;
import static dev.cirrus.shared.uploads.UploadStatus.PENDING;
import static dev.cirrus.shared.uploads.UploadStatus.PROCESSING;
import static dev.cirrus.shared.uploads.UploadStatus.READY;
import static dev.cirrus.shared.uploads.UploadStatus.REJECTED;
import static dev.cirrus.shared.uploads.UploadStatus.UPLOADED;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The upload's states and the moves between them, with what each does to the owner's quota. This is
 * the one place the lifecycle is written down; the stores apply it.
 *
 * <pre>
 * pending ──complete──▶ uploaded ──┐
 *    │  └──────────────────────────┴──start──▶ processing ──▶ ready | rejected
 *    ├──▶ ready | rejected  (a finalize event may find it still pending)
 *    └──▶ aborted | expired (so may uploaded; never processing)
 * uploaded | processing ──▶ failed (the sweeper gave up re-driving it)
 * </pre>
 *
 * An upload in flight (pending, uploaded, processing) reserves its size; leaving flight releases
 * the reservation, and becoming ready turns it into used storage and one more file.
 */
public final class UploadLifecycle {
  /** What a move does to the owner's quota. */
  public enum QuotaEffect {
    /** Still in flight: the reservation stays. */
    NONE,
    /** Out of flight without a file: the reservation goes. */
    RELEASE,
    /** A file: the reservation becomes used storage. */
    CHARGE
  }

  /** An allowed move. */
  public record Step(UploadStatus from, UploadStatus to, QuotaEffect quota) {}

  private static final Map<UploadStatus, Set<UploadStatus>> NEXT =
      new EnumMap<>(UploadStatus.class);

  static {
    NEXT.put(PENDING, EnumSet.of(UPLOADED, PROCESSING, READY, REJECTED, ABORTED, EXPIRED));
    NEXT.put(UPLOADED, EnumSet.of(PROCESSING, READY, REJECTED, ABORTED, EXPIRED, FAILED));
    NEXT.put(PROCESSING, EnumSet.of(READY, REJECTED, FAILED));
    for (UploadStatus status : UploadStatus.values()) {
      NEXT.putIfAbsent(status, EnumSet.noneOf(UploadStatus.class));
    }
  }

  private UploadLifecycle() {}

  /** The move from {@code from} to {@code to}, if the lifecycle allows it. */
  public static Optional<Step> step(UploadStatus from, UploadStatus to) {
    if (!NEXT.get(from).contains(to)) {
      return Optional.empty();
    }
    QuotaEffect effect =
        to == READY
            ? QuotaEffect.CHARGE
            : to.holdsReservation() ? QuotaEffect.NONE : QuotaEffect.RELEASE;
    return Optional.of(new Step(from, to, effect));
  }

  /** The move out of flight that ends an upload without a file, as {@link UploadStore#abort}. */
  public static Optional<Step> end(UploadStatus from, UploadStatus terminal) {
    if (terminal != ABORTED && terminal != EXPIRED && terminal != FAILED) {
      throw new IllegalArgumentException(terminal + " is not a way to end an upload");
    }
    return step(from, terminal);
  }
}
