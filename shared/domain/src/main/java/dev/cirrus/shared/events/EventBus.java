package dev.cirrus.shared.events;

import java.util.Map;

/**
 * Port: publishes messages to topics. Returns once the message is accepted, so it is never lost.
 */
public interface EventBus {
  void publish(String topic, Map<String, String> attributes, byte[] data);
}
