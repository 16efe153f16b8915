package dev.cirrus.shared.error;

/** An If-Match style precondition did not hold. */
public final class PreconditionFailed extends CirrusException {
  public PreconditionFailed(String code, String detail) {
    super(code, detail);
  }

  public PreconditionFailed(String detail) {
    super("precondition-failed", detail);
  }
}
