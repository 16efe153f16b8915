package dev.cirrus.shared.error;

/** The caller did not prove who they are: missing, malformed, expired or revoked token. */
public final class Unauthenticated extends CirrusException {
  public Unauthenticated(String code, String detail) {
    super(code, detail);
  }

  public Unauthenticated(String detail) {
    super("unauthenticated", detail);
  }
}
