package dev.cirrus.shared.deadletters;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A message Pub/Sub gave up on after its delivery attempts, {@code deadLetters/{id}}: enough to see
 * what failed and to publish it again where it came from.
 *
 * @param id the dead-letter message's id
 * @param sourceSubscription the subscription that could not deliver it
 * @param topic the topic that subscription reads, where a re-drive publishes; empty if the
 *     subscription no longer exists
 * @param attributes the original message's attributes
 * @param data the original message's body
 * @param attempts how many deliveries failed
 * @param deadLetteredAt when Pub/Sub dead-lettered it
 * @param redrivenAt when an admin last published it again
 */
public record DeadLetter(
    String id,
    String sourceSubscription,
    Optional<String> topic,
    Map<String, String> attributes,
    byte[] data,
    int attempts,
    Instant deadLetteredAt,
    Optional<Instant> redrivenAt) {

  public DeadLetter {
    attributes = Map.copyOf(attributes);
    data = data.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  public DeadLetter redriven(Instant at) {
    return new DeadLetter(
        id, sourceSubscription, topic, attributes, data, attempts, deadLetteredAt, Optional.of(at));
  }
}
