package dev.cirrus.shared.processing;

/**
 * A permanent verdict on an upload: retrying cannot change it, so it is recorded and the event
 * acknowledged.
 *
 * @see #reason()
 */
public final class Rejection extends RuntimeException {
  public static final String EMPTY = "empty";
  public static final String SIZE_MISMATCH = "size-mismatch";
  public static final String CHECKSUM_MISMATCH = "checksum-mismatch";
  public static final String TYPE_NOT_ALLOWED = "type-not-allowed";
  public static final String TYPE_MISMATCH = "type-mismatch";
  public static final String IMAGE_TOO_LARGE = "image-too-large";
  public static final String IMAGE_UNREADABLE = "image-unreadable";
  public static final String OBJECT_MISSING = "object-missing";

  private final String reason;

  public Rejection(String reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  /** A stable machine word clients see as the upload's {@code reason}. */
  public String reason() {
    return reason;
  }
}
