package dev.cirrus.shared.deadletters;

import dev.cirrus.shared.admin.Actor;
import dev.cirrus.shared.admin.AuditTrail;
import dev.cirrus.shared.auth.AccessPolicy;
import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.error.Conflict;
import dev.cirrus.shared.error.NotFound;
import dev.cirrus.shared.events.EventBus;
import dev.cirrus.shared.paging.Cursor;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Dead letters: recorded as Pub/Sub hands them over, listed and re-driven by admins. Pub/Sub marks
 * a dead-lettered message with {@code CloudPubSubDeadLetter*} attributes; they describe this
 * failure, not the message, so a re-drive publishes the original attributes without them.
 */
public final class DeadLetterService {
  public static final int DEFAULT_PAGE_SIZE = 50;
  public static final int MAX_PAGE_SIZE = 200;
  static final String MARK = "CloudPubSubDeadLetter";
  static final String SOURCE_SUBSCRIPTION = "CloudPubSubDeadLetterSourceSubscription";
  static final String SOURCE_PROJECT = "CloudPubSubDeadLetterSourceSubscriptionProject";
  static final String DELIVERY_COUNT = "CloudPubSubDeadLetterSourceDeliveryCount";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

  private final DeadLetterStore store;
  private final SubscriptionTopics subscriptions;
  private final EventBus events;
  private final AccessPolicy access;
  private final AuditTrail audit;
  private final Clock clock;
  private final String projectId;

  public DeadLetterService(
      DeadLetterStore store,
      SubscriptionTopics subscriptions,
      EventBus events,
      AccessPolicy access,
      AuditTrail audit,
      Clock clock,
      String projectId) {
    this.store = store;
    this.subscriptions = subscriptions;
    this.events = events;
    this.access = access;
    this.audit = audit;
    this.clock = clock;
    this.projectId = projectId;
  }

  /**
   * Records a message from {@code dead-letters}.
   *
   * @return the record; its topic is empty when the source subscription cannot be found
   */
  public DeadLetter record(
      String messageId, Map<String, String> attributes, byte[] data, Instant deadLetteredAt) {
    Map<String, String> original = new HashMap<>();
    attributes.forEach(
        (k, v) -> {
          if (!k.startsWith(MARK)) {
            original.put(k, v);
          }
        });
    String subscription = attributes.getOrDefault(SOURCE_SUBSCRIPTION, "");
    if (!subscription.isEmpty() && !subscription.startsWith("projects/")) {
      subscription =
          "projects/"
              + attributes.getOrDefault(SOURCE_PROJECT, projectId)
              + "/subscriptions/"
              + subscription;
    }
    Optional<String> topic =
        subscription.isEmpty() ? Optional.empty() : subscriptions.topicOf(subscription);
    DeadLetter letter =
        new DeadLetter(
            messageId,
            subscription,
            topic,
            original,
            data,
            attempts(attributes.get(DELIVERY_COUNT)),
            deadLetteredAt,
            Optional.empty());
    store.record(letter);
    return letter;
  }

  /** {@code GET /v1/admin/dead-letters} answer. */
  public record DeadLetterList(List<DeadLetterView> deadLetters, String nextPageToken) {}

  /** A dead letter as the admin API shows it; the body base64, as Pub/Sub carries it. */
  public record DeadLetterView(
      String id,
      String sourceSubscription,
      String topic,
      Map<String, String> attributes,
      String data,
      int attempts,
      Instant deadLetteredAt,
      Instant redrivenAt) {
    static DeadLetterView of(DeadLetter d) {
      return new DeadLetterView(
          d.id(),
          d.sourceSubscription(),
          d.topic().orElse(null),
          d.attributes(),
          Base64.getEncoder().encodeToString(d.data()),
          d.attempts(),
          d.deadLetteredAt(),
          d.redrivenAt().orElse(null));
    }
  }

  public DeadLetterList list(
      Principal caller, Optional<String> pageSize, Optional<String> pageToken) {
    access.requireRole(caller, Principal.ADMIN);
    int size = Cursor.pageSize(pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    Optional<Cursor> after =
        pageToken.map(token -> Cursor.fromToken(token, id -> ID.matcher(id).matches()));
    DeadLetterStore.DeadLetterPage page = store.list(size, after);
    return new DeadLetterList(
        page.deadLetters().stream().map(DeadLetterView::of).toList(),
        page.next().map(Cursor::token).orElse(null));
  }

  /**
   * Publishes the message again to its topic, with its own attributes. Re-driving twice publishes
   * twice: every consumer is idempotent, and an admin may need a second try. Recorded in the audit
   * log.
   */
  public DeadLetterView redrive(Actor actor, String id) {
    access.requireRole(actor.principal(), Principal.ADMIN);
    if (id == null || !ID.matcher(id).matches()) {
      throw new NotFound("dead letter not found");
    }
    DeadLetter letter = store.find(id).orElseThrow(() -> new NotFound("dead letter not found"));
    String topic =
        letter
            .topic()
            .orElseThrow(
                () ->
                    new Conflict(
                        "topic-unknown",
                        "the subscription "
                            + letter.sourceSubscription()
                            + " no longer exists, so its topic is unknown"));
    return audit.run(
        actor,
        "deadLetter.redrive",
        id,
        Map.of("topic", topic),
        () -> {
          events.publish(topic, letter.attributes(), letter.data());
          Instant now = clock.instant();
          store.markRedriven(id, now);
          return DeadLetterView.of(letter.redriven(now));
        });
  }

  private static int attempts(String raw) {
    try {
      return raw == null ? 0 : Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
