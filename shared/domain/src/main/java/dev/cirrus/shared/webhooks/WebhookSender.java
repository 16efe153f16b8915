package dev.cirrus.shared.webhooks;

import dev.cirrus.shared.auth.Uid;
import dev.cirrus.shared.events.EventBus;
import dev.cirrus.shared.events.MessageCodec;
import dev.cirrus.shared.events.Topics;
import dev.cirrus.shared.notifications.NotificationRequest;
import dev.cirrus.shared.webhooks.DeliveryPolicy.Attempt;
import dev.cirrus.shared.webhooks.DeliveryPolicy.Next;
import dev.cirrus.shared.webhooks.WebhookDelivery.Status;
import dev.cirrus.shared.webhooks.WebhookUrl.EgressRefused;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends one delivery: claims it (a lease, so a duplicate message sends nothing), resolves the
 * endpoint's host and checks every address before a packet leaves, signs, posts through the
 * transport, records the attempt and decides the next ({@link DeliveryPolicy}). A run of failures
 * three days long disables the endpoint and tells its owner. The tick sends what is due.
 */
public final class WebhookSender {
  /** Longer than the transport's timeout: a sender killed mid-attempt frees it after this. */
  static final Duration LEASE = Duration.ofSeconds(30);

  /** What the owner of a disabled endpoint is told with. */
  public static final String DISABLED_TYPE = "webhook.disabled";

  /** How many due deliveries one tick sends on; the next tick takes the rest. */
  static final int TICK_BATCH = 500;

  private final WebhookEndpoints endpoints;
  private final WebhookDeliveries deliveries;
  private final WebhookTransport transport;
  private final WebhookUrl.Resolver resolver;
  private final EventBus bus;
  private final MessageCodec messages;
  private final List<Duration> schedule;
  private final Clock clock;
  private final boolean demo;

  /**
   * @param schedule the waits before each retry ({@link DeliveryPolicy#SCHEDULE} when deployed)
   * @param demo a {@code demo-} project: loopback receivers are allowed
   */
  public WebhookSender(
      WebhookEndpoints endpoints,
      WebhookDeliveries deliveries,
      WebhookTransport transport,
      WebhookUrl.Resolver resolver,
      EventBus bus,
      MessageCodec messages,
      List<Duration> schedule,
      Clock clock,
      boolean demo) {
    this.endpoints = endpoints;
    this.deliveries = deliveries;
    this.transport = transport;
    this.resolver = resolver;
    this.bus = bus;
    this.messages = messages;
    this.schedule = List.copyOf(schedule);
    this.clock = clock;
    this.demo = demo;
  }

  /** Publishes every delivery due now, a batch at a time; how many. */
  public int tick() {
    List<WebhookDelivery> due = deliveries.due(Times.now(clock), TICK_BATCH);
    for (WebhookDelivery d : due) {
      bus.publish(
          Topics.WEBHOOK_DELIVERIES,
          Map.of("endpointId", d.endpointId()),
          messages.webhookDelivery(d.endpointId(), d.id()));
    }
    return due.size();
  }

  /** Makes the delivery's next attempt if it is due; says what came of it. */
  public String send(String endpointId, String deliveryId) {
    Instant now = Times.now(clock);
    Optional<WebhookEndpoint> endpoint = endpoints.find(endpointId);
    if (endpoint.isEmpty()) {
      return "the endpoint was deleted";
    }
    Instant lease = now.plus(LEASE);
    Optional<WebhookDelivery> claimed =
        deliveries.update(endpointId, deliveryId, d -> claimable(d, now) ? d.leased(lease) : d);
    if (claimed.isEmpty()) {
      return "no such delivery";
    }
    WebhookDelivery delivery = claimed.get();
    if (!delivery.leasedUntil().equals(Optional.of(lease))) {
      return "not due, or being sent: " + delivery.status().wireName();
    }
    int number = delivery.attemptCount() + 1;
    Attempt outcome;
    long started = System.nanoTime();
    if (!endpoint.get().enabled()) {
      outcome = new Attempt.Refused("the endpoint is disabled");
    } else {
      outcome = post(endpoint.get(), delivery, now);
    }
    long latency = Duration.ofNanos(System.nanoTime() - started).toMillis();
    Instant done = Times.now(clock);
    Next next = DeliveryPolicy.after(number, outcome, done, schedule);
    WebhookDelivery.Attempt attempt =
        new WebhookDelivery.Attempt(
            number,
            now,
            latency,
            outcome instanceof Attempt.Answered a ? Optional.of(a.status()) : Optional.empty(),
            error(outcome, next));
    Status status =
        next instanceof Next.Delivered
            ? Status.DELIVERED
            : next instanceof Next.RetryAt ? Status.RETRYING : Status.FAILED;
    Optional<Instant> due = next instanceof Next.RetryAt r ? Optional.of(r.at()) : Optional.empty();
    deliveries.update(
        endpointId,
        deliveryId,
        d -> d.leasedUntil().equals(Optional.of(lease)) ? d.after(attempt, status, due) : d);
    if (endpoint.get().enabled()) {
      health(endpoint.get(), status == Status.DELIVERED, done);
    }
    return "attempt " + number + ": " + describe(outcome) + ", " + status.wireName();
  }

  private Attempt post(WebhookEndpoint endpoint, WebhookDelivery delivery, Instant now) {
    byte[] body = delivery.body().getBytes(StandardCharsets.UTF_8);
    long timestamp = now.getEpochSecond();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("webhook-id", delivery.id());
    headers.put("webhook-timestamp", Long.toString(timestamp));
    headers.put(
        "webhook-signature",
        WebhookSignature.header(endpoint.secrets().signingAt(now), delivery.id(), timestamp, body));
    headers.put("content-type", "application/json");
    try {
      WebhookUrl url = WebhookUrl.parse(endpoint.url(), demo);
      return transport.post(url, url.addresses(resolver, demo), headers, body);
    } catch (EgressRefused e) {
      return new Attempt.Refused(e.getMessage());
    } catch (RuntimeException e) {
      // A URL registered in a demo project and read in another: refused, not a crash.
      return new Attempt.Refused(e.getMessage());
    }
  }

  /**
   * Success clears the endpoint's failing run; a failure starts one or, three days on, disables.
   */
  private void health(WebhookEndpoint endpoint, boolean delivered, Instant now) {
    if (delivered) {
      if (endpoint.failingSince().isPresent()) {
        endpoints.put(endpoint.succeeding(now));
      }
      return;
    }
    WebhookEndpoint failing = endpoint.failing(now);
    if (!DeliveryPolicy.disables(failing.failingSince(), now)) {
      if (endpoint.failingSince().isEmpty()) {
        endpoints.put(failing);
      }
      return;
    }
    String why =
        "every delivery failed since " + failing.failingSince().get() + ": disabled after 3 days";
    endpoints.put(failing.disabled(why, now));
    failing
        .ownerUid()
        .ifPresent(
            uid ->
                bus.publish(
                    Topics.NOTIFICATION_REQUESTS,
                    Map.of("type", DISABLED_TYPE),
                    messages.notificationRequest(
                        new NotificationRequest(
                            "webhook-disabled:" + endpoint.id() + ":" + now.getEpochSecond(),
                            DISABLED_TYPE,
                            List.of(new Uid(uid)),
                            "A webhook endpoint was disabled",
                            "Deliveries to "
                                + endpoint.url()
                                + " failed for 3 days. Fix it and enable it again.",
                            Map.of("webhookId", endpoint.id())))));
  }

  private static boolean claimable(WebhookDelivery d, Instant now) {
    boolean open = d.status() == Status.PENDING || d.status() == Status.RETRYING;
    boolean due = d.dueAt().filter(at -> !at.isAfter(now)).isPresent();
    boolean free = d.leasedUntil().filter(until -> until.isAfter(now)).isEmpty();
    return open && due && free;
  }

  private static Optional<String> error(Attempt outcome, Next next) {
    if (outcome instanceof Attempt.NoAnswer n) {
      return Optional.of(n.why());
    }
    if (outcome instanceof Attempt.Refused r) {
      return Optional.of(r.why());
    }
    return next instanceof Next.GiveUp g ? Optional.of(g.why()) : Optional.empty();
  }

  private static String describe(Attempt outcome) {
    if (outcome instanceof Attempt.Answered a) {
      return "answered " + a.status();
    }
    return outcome instanceof Attempt.NoAnswer n
        ? "no answer (" + n.why() + ")"
        : "refused (" + ((Attempt.Refused) outcome).why() + ")";
  }
}
