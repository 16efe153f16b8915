package dev.cirrus.shared.error;

/** A dependency failed in a way worth retrying; the caller may try again later. */
public final class Unavailable extends CirrusException {
  public Unavailable(String detail, Throwable cause) {
    super("unavailable", detail, cause);
  }
}
