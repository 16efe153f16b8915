package dev.cirrus.shared.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * A message that can never be processed: retrying it cannot make it better, so the consumer records
 * it with this reason and acknowledges it.
 */
public final class MalformedEvent extends RuntimeException {
  public MalformedEvent(String message) {
    super(message, null, false, false);
  }

  /** The message body as the JSON object every Cirrus topic carries, or a MalformedEvent. */
  public static JsonNode jsonObject(ObjectMapper mapper, byte[] data) {
    JsonNode body;
    try {
      body = mapper.readTree(data);
    } catch (IOException e) {
      throw new MalformedEvent("the message body is not JSON");
    }
    if (body == null || !body.isObject()) {
      throw new MalformedEvent("the message body is not a JSON object");
    }
    return body;
  }
}
