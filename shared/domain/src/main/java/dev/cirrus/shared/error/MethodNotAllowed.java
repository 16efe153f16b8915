package dev.cirrus.shared.error;

/** The path exists but not with this method. */
public final class MethodNotAllowed extends CirrusException {
  public MethodNotAllowed(String code, String detail) {
    super(code, detail);
  }

  public MethodNotAllowed(String detail) {
    super("method-not-allowed", detail);
  }
}
