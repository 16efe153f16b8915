package dev.cirrus.shared.error;

/** The request body exceeds the limit for this route. */
public final class PayloadTooLarge extends CirrusException {
  public PayloadTooLarge(String code, String detail) {
    super(code, detail);
  }

  public PayloadTooLarge(String detail) {
    super("payload-too-large", detail);
  }
}
