package dev.cirrus.shared.events;

/**
 * A message that can never be processed: retrying it cannot make it better, so the consumer records
 * it with this reason and acknowledges it.
 */
public final class MalformedEvent extends RuntimeException {
  public MalformedEvent(String message) {
    super(message, null, false, false);
  }
}
