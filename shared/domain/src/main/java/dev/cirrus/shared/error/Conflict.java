package dev.cirrus.shared.error;

/** The request conflicts with the current state of the resource. */
public final class Conflict extends CirrusException {
  public Conflict(String code, String detail) {
    super(code, detail);
  }

  public Conflict(String detail) {
    super("conflict", detail);
  }
}
