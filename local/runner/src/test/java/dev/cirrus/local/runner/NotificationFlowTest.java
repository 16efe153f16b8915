package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.local.emulators.FcmError;
import dev.cirrus.local.emulators.FcmFake;
import dev.cirrus.local.emulators.PubSubAdmin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Notifications as users and producers meet them, through the whole local stack: Pub/Sub, the
 * notify function with the real Admin SDK pushing to the FCM fake, and the notifications API.
 */
@ExtendWith(RunningStack.class)
class NotificationFlowTest {
  private static LocalStack stack;
  private static StackApi api;
  private static PubSubAdmin pubsub;
  private static FcmFake fcm;

  @BeforeAll
  static void connect(RunningStack.Handle handle) {
    stack = handle.stack();
    api = new StackApi(stack);
    pubsub = new PubSubAdmin(stack.endpoints().pubsubHost(), RunningStack.PROJECT);
    fcm = stack.fcm();
  }

  /** A user who has used the app, with a device on each platform given. */
  private record Member(AuthEmulatorClient.User user, List<String> tokens) {}

  private Member memberWithDevices(String... platforms) throws Exception {
    AuthEmulatorClient.User user = api.newUser();
    // The profile a first call creates: Cirrus notifies users it knows.
    assertThat(api.call("GET", "/v1/me", user.idToken(), null).statusCode()).isEqualTo(200);
    List<String> tokens = new ArrayList<>();
    for (String platform : platforms) {
      String token = "fcm-" + platform + "-" + UUID.randomUUID();
      HttpResponse<String> created =
          api.call(
              "POST",
              "/v1/me/devices",
              user.idToken(),
              "{\"token\":\"" + token + "\",\"platform\":\"" + platform + "\"}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      tokens.add(token);
    }
    return new Member(user, tokens);
  }

  private static void publishRequest(String requestId, String type, List<Member> to) {
    publishRequest(requestId, type, to, Map.of());
  }

  private static void publishRequest(
      String requestId, String type, List<Member> to, Map<String, String> attributes) {
    String uids = String.join(",", to.stream().map(m -> "\"" + m.user().uid() + "\"").toList());
    String body =
        "{\"requestId\":\""
            + requestId
            + "\",\"type\":\""
            + type
            + "\",\"recipients\":{\"uids\":["
            + uids
            + "]},\"title\":\"Spring sale\",\"body\":\"Everything half price.\","
            + "\"data\":{\"campaign\":\"spring\"}}";
    pubsub.publish("notification-requests", attributes, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aNotificationRequestWithATraceparentKeepsItsTraceToThePush() throws Exception {
    Member member = memberWithDevices("ios");
    String traceId = "5bf92f3577b34da6a3ce929d0e0e4737";
    publishRequest(
        "traced-" + UUID.randomUUID(),
        "promo",
        List.of(member),
        Map.of("traceparent", "00-" + traceId + "-10f067aa0ba902b8-01"));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fcm.acceptedFor(member.tokens().get(0)) == 1);
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              JsonNode spans =
                  StackApi.JSON.readTree(
                      http.send(
                              HttpRequest.newBuilder(
                                      URI.create(stack.endpoints().tracesUrl() + "/" + traceId))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString())
                          .body());
              assertThat(spans.isArray()).isTrue();
              // notify is one of the request's consumers (webhook-delivery is another): its span
              // is a child of the publisher's.
              assertThat(spans)
                  .filteredOn(span -> span.path("name").asText().equals("notify process"))
                  .singleElement()
                  .satisfies(
                      consumer ->
                          assertThat(consumer.path("parentSpanId").asText())
                              .as("the publisher's span")
                              .isEqualTo("10f067aa0ba902b8"));
              assertThat(spans)
                  .anySatisfy(
                      span ->
                          assertThat(span.path("name").asText()).isEqualTo("fcm PushSender.send"));
            });
  }

  private JsonNode notifications(Member member, String query) throws Exception {
    HttpResponse<String> list =
        api.call("GET", "/v1/notifications" + query, member.user().idToken(), null);
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    return StackApi.json(list);
  }

  @Test
  void anUploadEndsWithANotificationAndAPush() throws Exception {
    Member owner = memberWithDevices("android");
    String fileId = api.readyTextFile(owner.user(), "notes.txt");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> notifications(owner, "").path("notifications").size() == 1);
    JsonNode list = notifications(owner, "");
    JsonNode n = list.path("notifications").get(0);
    assertThat(n.path("type").asText()).isEqualTo("file.ready");
    assertThat(n.path("body").asText()).contains("notes.txt");
    assertThat(n.path("data").path("fileId").asText()).isEqualTo(fileId);
    assertThat(n.has("readAt")).isTrue();
    assertThat(n.path("readAt").isNull()).isTrue();
    assertThat(list.path("unreadCount").asLong()).isEqualTo(1);

    await().atMost(Duration.ofSeconds(10)).until(() -> fcm.acceptedFor(owner.tokens().get(0)) == 1);
    JsonNode push = fcm.sentTo(owner.tokens().get(0)).get(0).message();
    assertThat(push.path("data").path("notificationId").asText()).isEqualTo(n.path("id").asText());
    assertThat(push.path("notification").path("title").asText()).isEqualTo("Upload ready");

    assertThat(
            api.call(
                    "POST",
                    "/v1/notifications/" + n.path("id").asText() + ":read",
                    owner.user().idToken(),
                    null)
                .statusCode())
        .isEqualTo(204);
    JsonNode after = notifications(owner, "?unreadOnly=true");
    assertThat(after.path("notifications").size()).isZero();
    assertThat(after.path("unreadCount").asLong()).isZero();
  }

  @Test
  void aProducersRequestReachesEveryDeviceOnceHoweverOftenItIsDelivered() throws Exception {
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      members.add(memberWithDevices("android", "ios"));
    }
    String requestId = "req-" + UUID.randomUUID();
    // The same request three times at once, as a producer retrying a publish would.
    CompletableFuture.allOf(
            CompletableFuture.runAsync(() -> publishRequest(requestId, "promo.spring", members)),
            CompletableFuture.runAsync(() -> publishRequest(requestId, "promo.spring", members)),
            CompletableFuture.runAsync(() -> publishRequest(requestId, "promo.spring", members)))
        .join();

    List<String> tokens = members.stream().flatMap(m -> m.tokens().stream()).toList();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> tokens.stream().allMatch(t -> fcm.acceptedFor(t) > 0));
    // The other two deliveries finish meanwhile (a held batch is redelivered after backoff):
    // no token gets a second push at any moment of that time.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> tokens.stream().allMatch(t -> fcm.acceptedFor(t) == 1));
    for (Member m : members) {
      JsonNode list = notifications(m, "");
      assertThat(list.path("notifications").size()).isEqualTo(1);
      JsonNode n = list.path("notifications").get(0);
      assertThat(n.path("type").asText()).isEqualTo("promo.spring");
      assertThat(n.path("data").path("campaign").asText()).isEqualTo("spring");
    }
  }

  @Test
  void aMutedTypeIsNeitherStoredNorPushed() throws Exception {
    Member muting = memberWithDevices("android");
    Member listening = memberWithDevices("android");
    assertThat(
            api.call(
                    "PUT",
                    "/v1/me/settings",
                    muting.user().idToken(),
                    "{\"mutedTypes\":[\"promo.quiet\"]}")
                .statusCode())
        .isEqualTo(200);

    publishRequest("req-" + UUID.randomUUID(), "promo.quiet", List.of(muting, listening));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fcm.acceptedFor(listening.tokens().get(0)) == 1);
    assertThat(fcm.acceptedFor(muting.tokens().get(0))).isZero();
    assertThat(notifications(muting, "").path("notifications").size()).isZero();
    assertThat(notifications(listening, "").path("notifications").size()).isEqualTo(1);
  }

  @Test
  void anUnregisteredTokenIsPrunedAndATransientFailureRetriedForItsDeviceOnly() throws Exception {
    Member member = memberWithDevices("android", "ios", "web");
    String gone = member.tokens().get(0);
    String busy = member.tokens().get(1);
    String fine = member.tokens().get(2);
    fcm.breakToken(gone, FcmError.UNREGISTERED);
    fcm.failNext(busy, FcmError.QUOTA_EXCEEDED, 1);

    publishRequest("req-" + UUID.randomUUID(), "promo.spring", List.of(member));

    // The quota error sends the message back to Pub/Sub; the redelivery pushes to busy only.
    await().atMost(Duration.ofSeconds(60)).until(() -> fcm.acceptedFor(busy) == 1);
    assertThat(fcm.acceptedFor(fine)).isEqualTo(1);
    assertThat(fcm.acceptedFor(gone)).isZero();

    // The pruned device is gone: a second request does not try it.
    fcm.breakToken(gone, FcmError.UNREGISTERED);
    publishRequest("req-" + UUID.randomUUID(), "promo.spring", List.of(member));
    await().atMost(Duration.ofSeconds(30)).until(() -> fcm.acceptedFor(fine) == 2);
    JsonNode me = StackApi.json(api.call("GET", "/v1/me", member.user().idToken(), null));
    assertThat(me.path("uid").asText()).isEqualTo(member.user().uid());
    assertThat(fcm.acceptedFor(busy)).isEqualTo(2);
  }

  @Test
  void readAllMarksEverythingAndAnotherUsersNotificationIsNotFound() throws Exception {
    Member a = memberWithDevices();
    Member b = memberWithDevices();
    publishRequest("req-" + UUID.randomUUID(), "promo.one", List.of(a, b));
    // Apart in time, so newest-first has one answer (the publish time dates a notification).
    Thread.sleep(20);
    publishRequest("req-" + UUID.randomUUID(), "promo.two", List.of(a));
    Thread.sleep(20);
    publishRequest("req-" + UUID.randomUUID(), "promo.bonly", List.of(b));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                notifications(a, "").path("unreadCount").asLong() == 2
                    && notifications(b, "").path("unreadCount").asLong() == 2);
    // Only b has this one (ids are per request, so promo.one has the same id for both).
    String bs = notifications(b, "").path("notifications").get(0).path("id").asText();

    HttpResponse<String> foreign =
        api.call("POST", "/v1/notifications/" + bs + ":read", a.user().idToken(), null);
    assertThat(foreign.statusCode()).isEqualTo(404);
    assertThat(foreign.headers().firstValue("Content-Type")).hasValue("application/problem+json");

    assertThat(api.call("POST", "/v1/notifications:readAll", a.user().idToken(), null).statusCode())
        .isEqualTo(204);
    assertThat(notifications(a, "").path("unreadCount").asLong()).isZero();
    assertThat(notifications(b, "").path("unreadCount").asLong()).isEqualTo(2);

    JsonNode page = notifications(a, "?pageSize=1");
    assertThat(page.path("notifications").size()).isEqualTo(1);
    assertThat(page.path("notifications").get(0).path("type").asText()).isEqualTo("promo.two");
    JsonNode next =
        notifications(a, "?pageSize=1&pageToken=" + page.path("nextPageToken").asText());
    assertThat(next.path("notifications").get(0).path("type").asText()).isEqualTo("promo.one");
    assertThat(next.has("nextPageToken")).isFalse();

    assertThat(
            api.call("GET", "/v1/notifications?pageSize=0", a.user().idToken(), null).statusCode())
        .isEqualTo(400);
  }

  @Test
  void aMessageThatFailsFiveTimesIsADeadLetterThatAnAdminRedrives() throws Exception {
    Member member = memberWithDevices("android");
    String token = member.tokens().get(0);
    // FCM over quota for every one of Pub/Sub's five attempts.
    fcm.failNext(token, FcmError.QUOTA_EXCEEDED, FunctionCatalog.MAX_DELIVERY_ATTEMPTS);
    String requestId = "req-dead-" + UUID.randomUUID();
    publishRequest(requestId, "promo.spring", List.of(member));

    AuthEmulatorClient.User admin = api.newUserWithRoles(List.of("admin"));
    JsonNode[] letter = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              for (JsonNode d :
                  StackApi.json(
                          api.call(
                              "GET", "/v1/admin/dead-letters?pageSize=200", admin.idToken(), null))
                      .path("deadLetters")) {
                String body =
                    new String(
                        java.util.Base64.getDecoder().decode(d.path("data").asText()),
                        StandardCharsets.UTF_8);
                if (body.contains(requestId)) {
                  letter[0] = d;
                  return true;
                }
              }
              return false;
            });
    assertThat(letter[0].path("topic").asText()).isEqualTo("notification-requests");
    assertThat(letter[0].path("attempts").asInt()).isEqualTo(FunctionCatalog.MAX_DELIVERY_ATTEMPTS);
    assertThat(letter[0].path("sourceSubscription").asText()).endsWith("notification-requests");
    assertThat(fcm.acceptedFor(token)).isZero();

    // The fault is gone (its five failures are spent): a re-drive delivers, once.
    HttpResponse<String> redriven =
        api.call(
            "POST",
            "/v1/admin/dead-letters/" + letter[0].path("id").asText() + ":redrive",
            admin.idToken(),
            null);
    assertThat(redriven.statusCode()).as(redriven.body()).isEqualTo(200);
    assertThat(StackApi.json(redriven).path("redrivenAt").isTextual()).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() -> fcm.acceptedFor(token) == 1);
    assertThat(notifications(member, "").path("notifications").size()).isEqualTo(1);

    HttpResponse<String> byUser =
        api.call(
            "POST",
            "/v1/admin/dead-letters/" + letter[0].path("id").asText() + ":redrive",
            member.user().idToken(),
            null);
    assertThat(byUser.statusCode()).isEqualTo(403);
  }
}
