package dev.cirrus.shared.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.cirrus.shared.auth.Uid;
import dev.cirrus.shared.events.MalformedEvent;
import dev.cirrus.shared.notifications.NotificationRequest;
import dev.cirrus.shared.notifications.NotificationRequestReader;
import dev.cirrus.shared.notifications.PushBudget;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a {@code notification-requests} message against the JSON Schema we publish to producers
 * ({@value #SCHEMA}). Compiling the schema is not free: create one per instance.
 */
public final class NotificationRequestDecoder implements NotificationRequestReader {
  public static final String SCHEMA = "/schemas/notification-request.schema.json";
  private static final int REASONS_SHOWN = 5;

  private final ObjectMapper mapper;
  private final Schema schema;

  public NotificationRequestDecoder(ObjectMapper mapper) {
    this.mapper = mapper;
    try (InputStream in = NotificationRequestDecoder.class.getResourceAsStream(SCHEMA)) {
      if (in == null) {
        throw new IllegalStateException(SCHEMA + " is missing from the classpath");
      }
      this.schema =
          SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
              .getSchema(mapper.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Decoded read(byte[] data) {
    JsonNode body = JsonMessageCodec.jsonObject(mapper, data);
    Map<Integer, String> recipientErrors = new HashMap<>();
    List<String> requestErrors = new ArrayList<>();
    for (Error error : schema.validate(body)) {
      Integer recipient = recipientIndex(error.getInstanceLocation());
      if (recipient == null) {
        requestErrors.add(error.toString());
      } else {
        recipientErrors.putIfAbsent(recipient, error.getMessage());
      }
    }
    if (!requestErrors.isEmpty()) {
      throw new MalformedEvent(
          "the request breaks "
              + SCHEMA
              + ": "
              + requestErrors.stream().limit(REASONS_SHOWN).collect(Collectors.joining("; "))
              + (requestErrors.size() > REASONS_SHOWN
                  ? " (and " + (requestErrors.size() - REASONS_SHOWN) + " more)"
                  : ""));
    }
    JsonNode uids = body.path("recipients").path("uids");
    Set<Uid> recipients = new LinkedHashSet<>();
    List<SkippedRecipient> skipped = new ArrayList<>();
    for (int i = 0; i < uids.size(); i++) {
      JsonNode uid = uids.get(i);
      String shown = uid.isTextual() ? uid.asText() : uid.toString();
      String reason = recipientErrors.get(i);
      if (reason != null) {
        skipped.add(new SkippedRecipient(shown, reason));
        continue;
      }
      try {
        recipients.add(new Uid(shown));
      } catch (IllegalArgumentException e) {
        // The schema cannot say everything Uid refuses: ".", "..", "__reserved__".
        skipped.add(new SkippedRecipient(shown, "not a user id"));
      }
    }
    Map<String, String> payload = new LinkedHashMap<>();
    body.path("data")
        .fields()
        .forEachRemaining(e -> payload.put(e.getKey(), e.getValue().asText()));
    NotificationRequest request =
        new NotificationRequest(
            body.get("requestId").asText(),
            body.get("type").asText(),
            List.copyOf(recipients),
            body.get("title").asText(),
            body.path("body").asText(""),
            payload);
    if (!PushBudget.fits(request)) {
      throw new MalformedEvent(
          "title, body and data take "
              + PushBudget.bytes(request.title(), request.body(), request.data())
              + " bytes; a push carries "
              + PushBudget.FOR_THE_REQUEST
              + " of them at most (FCM's "
              + PushBudget.FCM_MAX_BYTES
              + ", less what Cirrus adds)");
    }
    return new Decoded(request, skipped);
  }

  /** The index {@code i} when the error is about {@code /recipients/uids/i}, else null. */
  private static Integer recipientIndex(NodePath at) {
    if (at.getNameCount() == 3
        && "recipients".equals(String.valueOf(at.getElement(0)))
        && "uids".equals(String.valueOf(at.getElement(1)))
        && at.getElement(2) instanceof Integer index) {
      return index;
    }
    return null;
  }
}
