package dev.cirrus.shared.error;

/** No such resource, or one the caller may not know exists. */
public final class NotFound extends CirrusException {
  public NotFound(String code, String detail) {
    super(code, detail);
  }

  public NotFound(String detail) {
    super("not-found", detail);
  }
}
