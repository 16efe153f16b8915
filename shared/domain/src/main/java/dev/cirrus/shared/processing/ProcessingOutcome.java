package dev.cirrus.shared.processing;

/** What handling one {@code upload-finalized} event came to. */
public enum ProcessingOutcome {
  /** Not an upload: some other object in the bucket; left alone. */
  IGNORED,
  /** No upload claims the object: it was deleted and recorded. */
  ORPHAN,
  /** Already handled by another delivery. */
  DUPLICATE,
  READY,
  /** The upload had expired when its bytes arrived: they were deleted, the reservation released. */
  EXPIRED,
  REJECTED,
  /** The message itself is unreadable: recorded and acknowledged. */
  MALFORMED
}
