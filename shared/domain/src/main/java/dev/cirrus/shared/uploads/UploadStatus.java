package dev.cirrus.shared.uploads;

import java.util.Locale;

/** Where an upload is in its life; the wire name is the lower-case constant name. */
public enum UploadStatus {
  PENDING,
  UPLOADED,
  PROCESSING,
  READY,
  REJECTED,
  EXPIRED,
  ABORTED,
  /** Given up after the sweeper's bounded re-drives; the reservation is released. */
  FAILED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static UploadStatus parse(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }

  /** True when nothing more will happen to the upload. */
  public boolean isFinal() {
    return this == READY
        || this == REJECTED
        || this == EXPIRED
        || this == ABORTED
        || this == FAILED;
  }

  /** True while the upload holds a quota reservation. */
  public boolean holdsReservation() {
    return this == PENDING || this == UPLOADED || this == PROCESSING;
  }
}
