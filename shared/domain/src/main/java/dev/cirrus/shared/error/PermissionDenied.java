package dev.cirrus.shared.error;

/** The caller is known but lacks the role the operation needs. */
public final class PermissionDenied extends CirrusException {
  public PermissionDenied(String code, String detail) {
    super(code, detail);
  }

  public PermissionDenied(String detail) {
    super("permission-denied", detail);
  }
}
