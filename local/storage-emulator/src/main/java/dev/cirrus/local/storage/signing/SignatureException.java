package dev.cirrus.local.storage.signing;

/**
 * A signed request the emulator refuses, with the status and XML error code the real service
 * answers for the same fault.
 */
public final class SignatureException extends Exception {
  private final int status;
  private final String code;

  SignatureException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  static SignatureException mismatch(String message) {
    return new SignatureException(403, "SignatureDoesNotMatch", message);
  }

  static SignatureException malformed(String message) {
    return new SignatureException(400, "AuthorizationQueryParametersError", message);
  }

  static SignatureException expired(String message) {
    return new SignatureException(400, "ExpiredToken", message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
