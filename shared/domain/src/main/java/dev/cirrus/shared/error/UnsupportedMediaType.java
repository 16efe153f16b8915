package dev.cirrus.shared.error;

/** The request body is not in a media type this route accepts. */
public final class UnsupportedMediaType extends CirrusException {
  public UnsupportedMediaType(String code, String detail) {
    super(code, detail);
  }

  public UnsupportedMediaType(String detail) {
    super("unsupported-media-type", detail);
  }
}
