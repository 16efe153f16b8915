package dev.cirrus.shared.webhooks;

import dev.cirrus.shared.error.BadRequest;
import dev.cirrus.shared.events.FileEvent;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The event types an endpoint may subscribe to: the file events, and notification types (what
 * {@code notification-requests} carry, such as {@code billing.payment_failed}), spelled as
 * notification types are everywhere.
 */
public final class WebhookEvents {
  public static final int MAX_EVENTS = 32;
  public static final Set<String> FILE_EVENTS =
      Set.of(FileEvent.READY, FileEvent.REJECTED, FileEvent.DELETED);
  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z0-9_-]+){0,4}");

  private WebhookEvents() {}

  /** The types, each once in the order given; names the field {@code events} when refused. */
  public static List<String> validate(List<String> events) {
    if (events == null || events.isEmpty()) {
      throw BadRequest.invalidField("events", "names at least one event type, such as file.ready");
    }
    if (events.size() > MAX_EVENTS) {
      throw BadRequest.invalidField("events", "may hold at most " + MAX_EVENTS + " event types");
    }
    Set<String> unique = new LinkedHashSet<>();
    for (int i = 0; i < events.size(); i++) {
      String type = events.get(i);
      if (type == null || type.length() > 64 || !TYPE.matcher(type).matches()) {
        throw BadRequest.invalidField(
            "events[" + i + "]", "must be an event type such as 'file.ready'");
      }
      if (type.startsWith("file.") && !FILE_EVENTS.contains(type)) {
        throw BadRequest.invalidField(
            "events[" + i + "]", "file events are file.ready, file.rejected and file.deleted");
      }
      unique.add(type);
    }
    return List.copyOf(unique);
  }
}
