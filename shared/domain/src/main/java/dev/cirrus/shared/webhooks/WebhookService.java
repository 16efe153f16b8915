package dev.cirrus.shared.webhooks;

import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.error.BadRequest;
import dev.cirrus.shared.error.NotFound;
import dev.cirrus.shared.error.PermissionDenied;
import dev.cirrus.shared.events.EventBus;
import dev.cirrus.shared.events.MessageCodec;
import dev.cirrus.shared.events.Topics;
import dev.cirrus.shared.paging.Cursor;
import dev.cirrus.shared.webhooks.WebhookDeliveries.DeliveryPage;
import dev.cirrus.shared.webhooks.WebhookEndpoints.EndpointPage;
import dev.cirrus.shared.webhooks.WebhookView.DeliveryList;
import dev.cirrus.shared.webhooks.WebhookView.DeliveryView;
import dev.cirrus.shared.webhooks.WebhookView.WebhookList;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * The webhooks API: a user registers endpoints for events about their own data, an admin for the
 * whole project's. Another user's endpoint, like a project endpoint to a non-admin, is reported as
 * missing, so ids cannot be probed.
 */
public final class WebhookService {
  public static final int MAX_ENDPOINTS_PER_OWNER = 20;
  static final int PAGE_SIZE = 20;
  static final int MAX_PAGE_SIZE = 100;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** {@code POST /v1/webhooks}: {@code scope} is {@code user} (the default) or {@code project}. */
  public record Registration(String url, List<String> events, String scope) {}

  /** {@code PATCH /v1/webhooks/{id}}: what is present changes; {@code enabled: true} re-enables. */
  public record Change(String url, List<String> events, Boolean enabled) {}

  private final WebhookEndpoints endpoints;
  private final WebhookDeliveries deliveries;
  private final EventBus bus;
  private final MessageCodec messages;
  private final RandomGenerator random;
  private final Supplier<String> ids;
  private final Clock clock;
  private final boolean demo;

  /**
   * @param demo a {@code demo-} project: plain http and loopback URLs are allowed
   */
  public WebhookService(
      WebhookEndpoints endpoints,
      WebhookDeliveries deliveries,
      EventBus bus,
      MessageCodec messages,
      RandomGenerator random,
      Supplier<String> ids,
      Clock clock,
      boolean demo) {
    this.endpoints = endpoints;
    this.deliveries = deliveries;
    this.bus = bus;
    this.messages = messages;
    this.random = random;
    this.ids = ids;
    this.clock = clock;
    this.demo = demo;
  }

  /** Registers an endpoint; the answer is the only one that shows its secret. */
  public WebhookView register(Principal caller, Registration body) {
    if (body == null) {
      throw BadRequest.malformedBody("the body is {url, events}");
    }
    Optional<String> owner = ownerFor(caller, body.scope());
    WebhookUrl url = checked(body.url());
    List<String> events = WebhookEvents.validate(body.events());
    EndpointPage existing = endpoints.owned(owner, MAX_ENDPOINTS_PER_OWNER, Optional.empty());
    if (existing.endpoints().size() >= MAX_ENDPOINTS_PER_OWNER) {
      throw BadRequest.invalidField(
          "url", "at most " + MAX_ENDPOINTS_PER_OWNER + " endpoints; delete one first");
    }
    Instant now = Times.now(clock);
    WebhookEndpoint endpoint =
        new WebhookEndpoint(
            "wh_" + ids.get(),
            owner,
            url.uri().toString(),
            events,
            SigningSecrets.fresh(random),
            Optional.empty(),
            Optional.empty(),
            now,
            now);
    endpoints.create(endpoint);
    return WebhookView.of(endpoint, true);
  }

  /** The caller's endpoints, or with {@code scope=project} the project's (admins only). */
  public WebhookList list(
      Principal caller,
      Optional<String> scope,
      Optional<String> pageSize,
      Optional<String> pageToken) {
    Optional<String> owner = ownerFor(caller, scope.orElse(null));
    Optional<Cursor> after =
        pageToken.map(t -> Cursor.fromToken(t, id -> ID.matcher(id).matches()));
    EndpointPage page =
        endpoints.owned(owner, Cursor.pageSize(pageSize, PAGE_SIZE, MAX_PAGE_SIZE), after);
    return new WebhookList(
        page.endpoints().stream().map(e -> WebhookView.of(e, false)).toList(),
        page.next().map(Cursor::token).orElse(null));
  }

  public WebhookView get(Principal caller, String id) {
    return WebhookView.of(manageable(caller, id), false);
  }

  public WebhookView update(Principal caller, String id, Change body) {
    if (body == null) {
      throw BadRequest.malformedBody("the body is {url?, events?, enabled?}");
    }
    if (Boolean.FALSE.equals(body.enabled())) {
      throw BadRequest.invalidField("enabled", "only true, to enable again; delete to stop");
    }
    WebhookEndpoint current = manageable(caller, id);
    String url =
        body.url() == null ? current.url() : WebhookUrl.parse(body.url(), demo).uri().toString();
    List<String> events =
        body.events() == null ? current.events() : WebhookEvents.validate(body.events());
    WebhookEndpoint next =
        current.changed(
            url, events, Boolean.TRUE.equals(body.enabled()), current.secrets(), Times.now(clock));
    if (!endpoints.put(next)) {
      throw missing();
    }
    return WebhookView.of(next, false);
  }

  /** Deletes the endpoint and its deliveries' records; nothing more is sent to it. */
  public void delete(Principal caller, String id) {
    manageable(caller, id);
    if (!endpoints.delete(id)) {
      throw missing();
    }
    while (deliveries.deleteOf(id, 500) > 0) {
      // the next batch
    }
  }

  /** A new secret, shown once; the old one keeps signing beside it for 24 hours. */
  public WebhookView rotate(Principal caller, String id) {
    WebhookEndpoint current = manageable(caller, id);
    Instant now = Times.now(clock);
    WebhookEndpoint next =
        current.changed(
            current.url(), current.events(), false, current.secrets().rotated(random, now), now);
    if (!endpoints.put(next)) {
      throw missing();
    }
    return WebhookView.of(next, true);
  }

  public DeliveryList deliveries(
      Principal caller, String id, Optional<String> pageSize, Optional<String> pageToken) {
    manageable(caller, id);
    Optional<Cursor> after = pageToken.map(t -> Cursor.fromToken(t, d -> ID.matcher(d).matches()));
    DeliveryPage page =
        deliveries.of(id, Cursor.pageSize(pageSize, PAGE_SIZE, MAX_PAGE_SIZE), after);
    return new DeliveryList(
        page.deliveries().stream().map(DeliveryView::of).toList(),
        page.next().map(Cursor::token).orElse(null));
  }

  /** Sends a delivery again now, with the same {@code webhook-id}, whatever became of it. */
  public DeliveryView redeliver(Principal caller, String id, String deliveryId) {
    WebhookEndpoint endpoint = manageable(caller, id);
    if (!endpoint.enabled()) {
      throw new PermissionDenied(
          "endpoint-disabled", "the endpoint is disabled: enable it again first");
    }
    Instant now = Times.now(clock);
    WebhookDelivery due =
        deliveries
            .update(id, deliveryId, d -> d.redue(now))
            .orElseThrow(() -> new NotFound("delivery not found"));
    bus.publish(
        Topics.WEBHOOK_DELIVERIES,
        Map.of("endpointId", id),
        messages.webhookDelivery(id, deliveryId));
    return DeliveryView.of(due);
  }

  /**
   * The URL, refused at once when it names a refused address itself; a name is checked at every
   * delivery, since what it resolves to may change.
   */
  private WebhookUrl checked(String raw) {
    WebhookUrl url = WebhookUrl.parse(raw, demo);
    String host = url.uri().getHost().replaceAll("^\\[|\\]$", "");
    if (EgressAddresses.isLiteral(host)) {
      try {
        url.addresses(h -> List.of(EgressAddresses.literal(h)), demo);
      } catch (WebhookUrl.EgressRefused e) {
        throw BadRequest.invalidField("url", "may not name a private address: " + e.getMessage());
      }
    }
    return url;
  }

  private WebhookEndpoint manageable(Principal caller, String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw missing();
    }
    return endpoints
        .find(id)
        .filter(e -> e.manageableBy(caller))
        .orElseThrow(WebhookService::missing);
  }

  private static Optional<String> ownerFor(Principal caller, String scope) {
    if (scope == null || scope.equals("user")) {
      return Optional.of(caller.uid());
    }
    if (scope.equals("project")) {
      if (!caller.hasRole(Principal.ADMIN)) {
        throw new PermissionDenied("project endpoints need the 'admin' role");
      }
      return Optional.empty();
    }
    throw BadRequest.invalidField("scope", "is user or project");
  }

  private static NotFound missing() {
    return new NotFound("webhook not found");
  }
}
