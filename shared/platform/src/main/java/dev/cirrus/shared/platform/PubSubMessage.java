package dev.cirrus.shared.platform;

import dev.cirrus.shared.log.TraceContext;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One Pub/Sub message as a push delivery brings it, decoded from its CloudEvent.
 *
 * @param eventId the CloudEvent's id, the same on every redelivery
 * @param topic the topic it was published to, from the CloudEvent's {@code source}
 * @param publishedAt when Pub/Sub accepted it (the CloudEvent's {@code time}), or when it arrived
 *     if the event carries no time
 * @param trace the trace its publisher carried in the {@code traceparent} attribute
 */
public record PubSubMessage(
    String eventId,
    String messageId,
    Optional<String> topic,
    Map<String, String> attributes,
    byte[] data,
    Instant publishedAt,
    Optional<TraceContext> trace) {}
