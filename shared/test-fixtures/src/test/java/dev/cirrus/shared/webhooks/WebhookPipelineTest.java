package dev.cirrus.shared.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.adapter.memory.InMemoryWebhookDeliveries;
import dev.cirrus.shared.adapter.memory.InMemoryWebhookEndpoints;
import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.auth.Uid;
import dev.cirrus.shared.error.BadRequest;
import dev.cirrus.shared.error.NotFound;
import dev.cirrus.shared.error.PermissionDenied;
import dev.cirrus.shared.events.FileEvent;
import dev.cirrus.shared.events.Topics;
import dev.cirrus.shared.json.JsonCodec;
import dev.cirrus.shared.json.JsonMessageCodec;
import dev.cirrus.shared.json.JsonWebhookPayloads;
import dev.cirrus.shared.notifications.NotificationRequest;
import dev.cirrus.shared.testing.MutableClock;
import dev.cirrus.shared.testing.RecordingEventBus;
import dev.cirrus.shared.webhooks.DeliveryPolicy.Attempt;
import dev.cirrus.shared.webhooks.WebhookService.Change;
import dev.cirrus.shared.webhooks.WebhookService.Registration;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The webhooks from registration to the receiver, on the in-memory stores, a scripted transport and
 * a resolver the test controls: no packet leaves, and none could reach a refused address.
 */
class WebhookPipelineTest {
  private static final Principal ALICE = new Principal("alice", Optional.empty(), Set.of());
  private static final Principal BOB = new Principal("bob", Optional.empty(), Set.of());
  private static final Principal ADMIN =
      new Principal("root", Optional.empty(), Set.of(Principal.ADMIN));
  private static final List<Duration> FAST = DeliveryPolicy.parseSchedule("1s,2s,3s");

  /** A transport that answers from a script and keeps what it was sent. */
  static final class ScriptedTransport implements WebhookTransport {
    record Post(
        String url, List<InetAddress> addresses, Map<String, String> headers, String body) {}

    final List<Post> posts = new ArrayList<>();
    final Deque<Attempt> answers = new ArrayDeque<>();

    @Override
    public Attempt post(
        WebhookUrl url, List<InetAddress> addresses, Map<String, String> headers, byte[] body) {
      posts.add(
          new Post(
              url.uri().toString(),
              addresses,
              Map.copyOf(headers),
              new String(body, StandardCharsets.UTF_8)));
      return answers.isEmpty() ? new Attempt.Answered(204, Optional.empty()) : answers.poll();
    }
  }

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final InMemoryWebhookEndpoints endpoints = new InMemoryWebhookEndpoints();
  private final InMemoryWebhookDeliveries deliveries = new InMemoryWebhookDeliveries();
  private final RecordingEventBus bus = new RecordingEventBus();
  private final JsonCodec json = new JsonCodec();
  private final JsonMessageCodec messages = new JsonMessageCodec(json);
  private final ScriptedTransport transport = new ScriptedTransport();
  private final Map<String, List<InetAddress>> dns = new HashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final WebhookService service =
      new WebhookService(
          endpoints,
          deliveries,
          bus,
          messages,
          new Random(7),
          () -> "e" + ids.incrementAndGet(),
          clock,
          false);
  private final WebhookFanOut fanOut =
      new WebhookFanOut(endpoints, deliveries, bus, messages, new JsonWebhookPayloads(json), clock);
  private final WebhookSender sender =
      new WebhookSender(
          endpoints, deliveries, transport, this::resolve, bus, messages, FAST, clock, false);

  private List<InetAddress> resolve(String host) throws UnknownHostException {
    List<InetAddress> found = dns.get(host);
    if (found == null) {
      throw new UnknownHostException(host);
    }
    return found;
  }

  private WebhookView register(Principal who, String host, String... events) {
    dns.putIfAbsent(host, List.of(EgressAddresses.literal("93.184.215.14")));
    return service.register(
        who, new Registration("https://" + host + "/hooks", List.of(events), null));
  }

  private FileEvent ready(String owner, String fileId) {
    return new FileEvent(
        "up-" + fileId + ":file.ready",
        FileEvent.READY,
        fileId,
        "up-" + fileId,
        owner,
        "cat.jpg",
        "image/jpeg",
        1234L,
        null,
        clock.instant());
  }

  /** Sends every delivery message published so far, as the function would, once each. */
  private void sendQueued() {
    List<RecordingEventBus.Message> queued = bus.on(Topics.WEBHOOK_DELIVERIES);
    for (int i = sent; i < queued.size(); i++) {
      MessageCodecStep step = MessageCodecStep.of(messages, queued.get(i).body());
      sender.send(step.endpointId(), step.deliveryId());
    }
    sent = queued.size();
  }

  private int sent;

  record MessageCodecStep(String endpointId, String deliveryId) {
    static MessageCodecStep of(JsonMessageCodec messages, String body) {
      var step = messages.readWebhookDelivery(body.getBytes(StandardCharsets.UTF_8));
      return new MessageCodecStep(step.endpointId().get(), step.deliveryId().get());
    }
  }

  @Test
  void registrationShowsTheSecretOnceAndNothingElseShowsItAgain() {
    WebhookView created = register(ALICE, "hooks.example.com", "file.ready");
    assertThat(created.secret()).startsWith("whsec_");
    assertThat(created.scope()).isEqualTo("user");
    assertThat(service.get(ALICE, created.id()).secret()).isNull();
    assertThat(
            service.list(ALICE, Optional.empty(), Optional.of("10"), Optional.empty()).webhooks())
        .singleElement()
        .satisfies(v -> assertThat(v.secret()).isNull());
  }

  @Test
  void anotherUsersEndpointIsMissingAndProjectEndpointsAreTheAdmins() {
    WebhookView alices = register(ALICE, "hooks.example.com", "file.ready");
    assertThatThrownBy(() -> service.get(BOB, alices.id())).isInstanceOf(NotFound.class);
    assertThatThrownBy(() -> service.delete(BOB, alices.id())).isInstanceOf(NotFound.class);
    assertThatThrownBy(
            () ->
                service.register(
                    BOB,
                    new Registration("https://x.example.com/", List.of("file.ready"), "project")))
        .isInstanceOf(PermissionDenied.class);
    WebhookView project =
        service.register(
            ADMIN, new Registration("https://x.example.com/", List.of("file.ready"), "project"));
    assertThat(project.scope()).isEqualTo("project");
    assertThatThrownBy(() -> service.get(ALICE, project.id())).isInstanceOf(NotFound.class);
  }

  @Test
  void badRegistrationsNameTheirField() {
    assertThatThrownBy(
            () ->
                service.register(
                    ALICE,
                    new Registration("http://hooks.example.com/", List.of("file.ready"), null)))
        .isInstanceOf(BadRequest.class)
        .satisfies(e -> assertThat(((BadRequest) e).field()).contains("url"));
    assertThatThrownBy(
            () ->
                service.register(
                    ALICE,
                    new Registration("https://hooks.example.com/", List.of("file.exploded"), null)))
        .isInstanceOf(BadRequest.class)
        .satisfies(e -> assertThat(((BadRequest) e).field()).contains("events[0]"));
    assertThatThrownBy(
            () ->
                service.register(
                    ALICE, new Registration("https://hooks.example.com/", List.of(), null)))
        .isInstanceOf(BadRequest.class);
  }

  @Test
  void aUrlNamingAPrivateAddressIsRefusedAtRegistration() {
    for (String url :
        List.of(
            "https://169.254.169.254/latest",
            "https://[::ffff:10.0.0.5]/",
            "https://10.1.2.3:8443/")) {
      assertThatThrownBy(
              () -> service.register(ALICE, new Registration(url, List.of("file.ready"), null)))
          .as(url)
          .isInstanceOf(BadRequest.class)
          .satisfies(e -> assertThat(((BadRequest) e).field()).contains("url"));
    }
  }

  @Test
  void aFileEventGoesToItsOwnersEndpointsAndTheProjectsAndNoOneElses() {
    register(ALICE, "alice.example.com", "file.ready");
    register(BOB, "bob.example.com", "file.ready");
    register(ALICE, "quiet.example.com", "file.deleted");
    dns.put("ops.example.com", List.of(EgressAddresses.literal("93.184.215.15")));
    service.register(
        ADMIN, new Registration("https://ops.example.com/", List.of("file.ready"), "project"));
    assertThat(fanOut.fileEvent(ready("alice", "f1"))).isEqualTo(2);
    sendQueued();
    assertThat(transport.posts)
        .extracting(ScriptedTransport.Post::url)
        .containsExactlyInAnyOrder("https://alice.example.com/hooks", "https://ops.example.com/");
  }

  @Test
  void aDeliveryIsSignedAsStandardWebhooksSaysAndCarriesTypeTimestampAndData() throws Exception {
    WebhookView endpoint = register(ALICE, "hooks.example.com", "file.ready");
    fanOut.fileEvent(ready("alice", "f1"));
    sendQueued();
    ScriptedTransport.Post post = transport.posts.get(0);
    String id = post.headers().get("webhook-id");
    long timestamp = Long.parseLong(post.headers().get("webhook-timestamp"));
    assertThat(id).startsWith("msg_");
    assertThat(timestamp).isEqualTo(clock.instant().getEpochSecond());
    assertThat(
            WebhookSignature.verifies(
                post.headers().get("webhook-signature"),
                endpoint.secret(),
                id,
                timestamp,
                post.body().getBytes(StandardCharsets.UTF_8)))
        .isTrue();
    var body = json.mapper().readTree(post.body());
    assertThat(body.path("type").asText()).isEqualTo("file.ready");
    assertThat(body.path("timestamp").asText()).isEqualTo("2026-12-01T10:00:00Z");
    assertThat(body.path("data").path("fileId").asText()).isEqualTo("f1");
    assertThat(post.addresses()).containsExactly(EgressAddresses.literal("93.184.215.14"));
  }

  @Test
  void theSameEventFannedOutTwiceAndItsMessageSentTwiceReachTheReceiverOnce() {
    register(ALICE, "hooks.example.com", "file.ready");
    assertThat(fanOut.fileEvent(ready("alice", "f1"))).isEqualTo(1);
    sendQueued();
    assertThat(fanOut.fileEvent(ready("alice", "f1"))).isZero();
    List<RecordingEventBus.Message> queued = bus.on(Topics.WEBHOOK_DELIVERIES);
    MessageCodecStep step = MessageCodecStep.of(messages, queued.get(0).body());
    assertThat(sender.send(step.endpointId(), step.deliveryId())).startsWith("not due");
    assertThat(transport.posts).hasSize(1);
  }

  @Test
  void aReceiverFailingTwiceGetsTheThirdAttemptWithTheSameWebhookId() {
    WebhookView endpoint = register(ALICE, "hooks.example.com", "file.ready");
    transport.answers.add(new Attempt.Answered(503, Optional.empty()));
    transport.answers.add(new Attempt.NoAnswer("timed out after 10 s"));
    fanOut.fileEvent(ready("alice", "f1"));
    sendQueued();
    assertThat(sender.tick()).as("the retry is not due yet").isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(sender.tick()).isEqualTo(1);
    sendQueued();
    clock.advance(Duration.ofSeconds(2));
    assertThat(sender.tick()).isEqualTo(1);
    sendQueued();
    assertThat(transport.posts).hasSize(3);
    assertThat(transport.posts)
        .extracting(p -> p.headers().get("webhook-id"))
        .containsOnly(transport.posts.get(0).headers().get("webhook-id"));
    WebhookView.DeliveryView delivery =
        service
            .deliveries(ALICE, endpoint.id(), Optional.of("10"), Optional.empty())
            .deliveries()
            .get(0);
    assertThat(delivery.status()).isEqualTo("delivered");
    assertThat(delivery.attempts())
        .extracting(WebhookView.AttemptView::responseCode)
        .containsExactly(503, null, 204);
    assertThat(delivery.attempts().get(1).error()).contains("timed out");
    assertThat(service.get(ALICE, endpoint.id()).failingSince())
        .as("a success ends the run")
        .isNull();
  }

  @Test
  void retryAfterAsksForLongerAndIsHonoured() {
    register(ALICE, "hooks.example.com", "file.ready");
    transport.answers.add(new Attempt.Answered(429, Optional.of(Duration.ofSeconds(2))));
    fanOut.fileEvent(ready("alice", "f1"));
    sendQueued();
    clock.advance(Duration.ofSeconds(1));
    assertThat(sender.tick()).as("1 s is the schedule's wait, 2 s the receiver's").isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(sender.tick()).isEqualTo(1);
  }

  @Test
  void aHostResolvingToAPrivateAddressIsRefusedWithoutAPacketSent() {
    WebhookView endpoint = register(ALICE, "hooks.example.com", "file.ready");
    // The name was public when registered; it resolves to the metadata server now (DNS rebinding).
    dns.put(
        "hooks.example.com",
        List.of(
            EgressAddresses.literal("93.184.215.14"), EgressAddresses.literal("169.254.169.254")));
    fanOut.fileEvent(ready("alice", "f1"));
    sendQueued();
    assertThat(transport.posts).isEmpty();
    WebhookView.DeliveryView delivery =
        service
            .deliveries(ALICE, endpoint.id(), Optional.of("10"), Optional.empty())
            .deliveries()
            .get(0);
    assertThat(delivery.status()).isEqualTo("failed");
    assertThat(delivery.attempts().get(0).error()).contains("169.254.169.254");
  }

  @Test
  void anIpv6MappedPrivateAddressIsRefusedToo() {
    WebhookView endpoint = register(ALICE, "hooks.example.com", "file.ready");
    dns.put("hooks.example.com", List.of(EgressAddresses.literal("::ffff:10.0.0.5")));
    fanOut.fileEvent(ready("alice", "f1"));
    sendQueued();
    assertThat(transport.posts).isEmpty();
    assertThat(
            service
                .deliveries(ALICE, endpoint.id(), Optional.of("10"), Optional.empty())
                .deliveries()
                .get(0)
                .status())
        .isEqualTo("failed");
  }

  @Test
  void aRedirectIsNotFollowedAndFailsTheDelivery() {
    WebhookView endpoint = register(ALICE, "hooks.example.com", "file.ready");
    transport.answers.add(new Attempt.Answered(302, Optional.empty()));
    fanOut.fileEvent(ready("alice", "f1"));
    sendQueued();
    clock.advance(Duration.ofMinutes(1));
    assertThat(sender.tick()).isZero();
    assertThat(transport.posts).hasSize(1);
    assertThat(
            service
                .deliveries(ALICE, endpoint.id(), Optional.of("10"), Optional.empty())
                .deliveries()
                .get(0)
                .attempts()
                .get(0)
                .error())
        .contains("302");
  }

  @Test
  void anEndpointFailingForThreeDaysIsDisabledAndItsOwnerIsTold() {
    WebhookView endpoint = register(ALICE, "hooks.example.com", "file.ready");
    for (int day = 0; day < 4; day++) {
      transport.answers.add(new Attempt.Answered(500, Optional.empty()));
      transport.answers.add(new Attempt.Answered(500, Optional.empty()));
      transport.answers.add(new Attempt.Answered(500, Optional.empty()));
      transport.answers.add(new Attempt.Answered(500, Optional.empty()));
      fanOut.fileEvent(ready("alice", "day" + day));
      sendQueued();
      for (int i = 0; i < 3; i++) {
        clock.advance(Duration.ofSeconds(3));
        sender.tick();
        sendQueued();
      }
      clock.advance(Duration.ofDays(1));
    }
    WebhookView now = service.get(ALICE, endpoint.id());
    assertThat(now.status()).isEqualTo("disabled");
    assertThat(now.disabledReason()).contains("3 days");
    assertThat(bus.on(Topics.NOTIFICATION_REQUESTS))
        .singleElement()
        .satisfies(m -> assertThat(m.body()).contains("webhook.disabled").contains("alice"));
    int posts = transport.posts.size();
    fanOut.fileEvent(ready("alice", "after"));
    sendQueued();
    assertThat(transport.posts).as("nothing is sent to a disabled endpoint").hasSize(posts);
    service.update(ALICE, endpoint.id(), new Change(null, null, true));
    assertThat(service.get(ALICE, endpoint.id()).status()).isEqualTo("enabled");
  }

  @Test
  void aRotatedSecretSignsBesideTheOldOneForADayThenAlone() {
    WebhookView endpoint = register(ALICE, "hooks.example.com", "file.ready");
    WebhookView rotated = service.rotate(ALICE, endpoint.id());
    assertThat(rotated.secret()).isNotEqualTo(endpoint.secret());
    fanOut.fileEvent(ready("alice", "f1"));
    sendQueued();
    clock.advance(Duration.ofHours(25));
    fanOut.fileEvent(ready("alice", "f2"));
    sendQueued();
    assertThat(signedBy(transport.posts.get(0), rotated.secret())).isTrue();
    assertThat(signedBy(transport.posts.get(0), endpoint.secret())).as("within the day").isTrue();
    assertThat(signedBy(transport.posts.get(1), rotated.secret())).isTrue();
    assertThat(signedBy(transport.posts.get(1), endpoint.secret())).as("a day on").isFalse();
  }

  private static boolean signedBy(ScriptedTransport.Post post, String secret) {
    return WebhookSignature.verifies(
        post.headers().get("webhook-signature"),
        secret,
        post.headers().get("webhook-id"),
        Long.parseLong(post.headers().get("webhook-timestamp")),
        post.body().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aDeliveryRedeliveredByHandIsSentAgainWithTheSameId() {
    WebhookView endpoint = register(ALICE, "hooks.example.com", "file.ready");
    transport.answers.add(new Attempt.Answered(400, Optional.empty()));
    fanOut.fileEvent(ready("alice", "f1"));
    sendQueued();
    String id = transport.posts.get(0).headers().get("webhook-id");
    assertThat(service.redeliver(ALICE, endpoint.id(), id).status()).isEqualTo("retrying");
    sendQueued();
    assertThat(transport.posts).hasSize(2);
    assertThat(transport.posts.get(1).headers().get("webhook-id")).isEqualTo(id);
    assertThatThrownBy(() -> service.redeliver(BOB, endpoint.id(), id))
        .isInstanceOf(NotFound.class);
  }

  @Test
  void aNotificationRequestGoesToEachRecipientsEndpointsSubscribedToItsType() {
    register(ALICE, "alice.example.com", "billing.payment_failed");
    register(BOB, "bob.example.com", "file.ready");
    int queued =
        fanOut.notification(
            new NotificationRequest(
                "r1",
                "billing.payment_failed",
                List.of(new Uid("alice"), new Uid("bob")),
                "Payment failed",
                "",
                Map.of()),
            clock.instant());
    assertThat(queued).isEqualTo(1);
    sendQueued();
    assertThat(transport.posts)
        .singleElement()
        .satisfies(p -> assertThat(p.body()).contains("alice"));
  }
}
