package dev.cirrus.functions.users;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.shared.accounts.AccountDeletionService;
import dev.cirrus.shared.adapter.memory.InMemoryAccountDeletions;
import dev.cirrus.shared.adapter.memory.InMemoryAccountExports;
import dev.cirrus.shared.adapter.memory.InMemoryAuditLog;
import dev.cirrus.shared.adapter.memory.InMemoryNotificationStore;
import dev.cirrus.shared.adapter.memory.InMemoryObjectStorage;
import dev.cirrus.shared.adapter.memory.InMemoryUploadStore;
import dev.cirrus.shared.adapter.memory.InMemoryUserStore;
import dev.cirrus.shared.adapter.memory.InMemoryWebhookDeliveries;
import dev.cirrus.shared.adapter.memory.InMemoryWebhookEndpoints;
import dev.cirrus.shared.admin.AuditTrail;
import dev.cirrus.shared.appcheck.AppCheckGate;
import dev.cirrus.shared.auth.AccessPolicy;
import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.auth.TokenVerifier;
import dev.cirrus.shared.auth.VerifiedToken;
import dev.cirrus.shared.config.Limits;
import dev.cirrus.shared.error.Unauthenticated;
import dev.cirrus.shared.events.Topics;
import dev.cirrus.shared.exports.AccountExportService;
import dev.cirrus.shared.http.HttpApi;
import dev.cirrus.shared.json.JsonCodec;
import dev.cirrus.shared.json.JsonMessageCodec;
import dev.cirrus.shared.log.StructuredLogger;
import dev.cirrus.shared.ratelimit.RateLimitGate;
import dev.cirrus.shared.testing.InProcessHttp.Request;
import dev.cirrus.shared.testing.InProcessHttp.Response;
import dev.cirrus.shared.testing.MutableClock;
import dev.cirrus.shared.testing.RecordingEventBus;
import dev.cirrus.shared.tracing.Tracer;
import dev.cirrus.shared.users.UserCache;
import dev.cirrus.shared.users.UserService;
import dev.cirrus.shared.webhooks.WebhookService;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The users function built from its service and an HTTP boundary, on the in-memory store and a fake
 * token verifier: no server, no emulator, no Google client. {@code UsersFunctionTest} runs the
 * deployed wiring against the emulators.
 */
class UsersFunctionOnFakesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
  private final TokenVerifier tokens =
      token -> {
        if (!token.equals("ada-token")) {
          throw new Unauthenticated("invalid-token", "not a token this test gave out");
        }
        return new VerifiedToken(
            new Principal("ada", Optional.of("ada@example.com"), Set.of()),
            clock.instant().plusSeconds(3600));
      };
  private final JsonCodec json = new JsonCodec();
  private final InMemoryUserStore users = new InMemoryUserStore();
  private final InMemoryAccountDeletions deletions =
      new InMemoryAccountDeletions(
          new InMemoryUploadStore(), new InMemoryNotificationStore(), users);
  private final RecordingEventBus bus = new RecordingEventBus();
  private final UsersFunction function =
      new UsersFunction(
          new UserService(
              users,
              UserCache.NONE,
              deletions,
              clock,
              Limits.DEFAULTS.withDefaultQuota(5_000).withMaxDevices(3)),
          new AccountDeletionService(
              deletions,
              bus,
              new JsonMessageCodec(new JsonCodec()),
              UserCache.NONE,
              new AccessPolicy(),
              new AuditTrail(new InMemoryAuditLog(), clock, () -> UUID.randomUUID().toString()),
              clock),
          new AccountExportService(
              new InMemoryAccountExports(deletions),
              new InMemoryObjectStorage(clock),
              bus,
              new JsonMessageCodec(new JsonCodec()),
              "files",
              clock),
          new WebhookService(
              new InMemoryWebhookEndpoints(),
              new InMemoryWebhookDeliveries(),
              bus,
              new JsonMessageCodec(new JsonCodec()),
              new Random(1),
              () -> UUID.randomUUID().toString().replace("-", ""),
              clock,
              true),
          router ->
              new HttpApi(
                  router,
                  tokens,
                  AppCheckGate.off(),
                  RateLimitGate.off(),
                  1,
                  json,
                  new StructuredLogger(
                      new PrintStream(OutputStream.nullOutputStream()),
                      json,
                      clock,
                      "demo-x",
                      "users"),
                  clock,
                  () -> UUID.randomUUID().toString(),
                  4096,
                  "*",
                  Optional.empty(),
                  Tracer.NONE));

  private Response call(Request request) throws Exception {
    Response response = new Response();
    function.service(request, response);
    return response;
  }

  @Test
  void meIsServedFromTheStoreForAVerifiedToken() throws Exception {
    Response response =
        call(new Request("GET", "/v1/me").header("Authorization", "Bearer ada-token"));
    assertThat(response.status()).isEqualTo(200);
    JsonNode me = JSON.readTree(response.body());
    assertThat(me.path("uid").asText()).isEqualTo("ada");
    assertThat(me.path("quota").path("limitBytes").asLong()).isEqualTo(5_000);
  }

  @Test
  void settingsAreSavedAndReadBack() throws Exception {
    Response saved =
        call(
            new Request("PUT", "/v1/me/settings")
                .header("Authorization", "Bearer ada-token")
                .json("{\"mutedTypes\":[\"file.ready\"]}"));
    assertThat(saved.status()).as(saved.body()).isEqualTo(200);
    JsonNode me =
        JSON.readTree(
            call(new Request("GET", "/v1/me").header("Authorization", "Bearer ada-token")).body());
    assertThat(me.path("settings").path("mutedTypes").get(0).asText()).isEqualTo("file.ready");
  }

  @Test
  void anExportIsAskedForOnceAndReportedWhileItIsBuilt() throws Exception {
    Response none =
        call(new Request("GET", "/v1/me/export").header("Authorization", "Bearer ada-token"));
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.getContentType()).contains("application/problem+json");

    Response asked =
        call(new Request("POST", "/v1/me:export").header("Authorization", "Bearer ada-token"));
    assertThat(asked.status()).as(asked.body()).isEqualTo(202);
    JsonNode job = JSON.readTree(asked.body());
    assertThat(job.path("status").asText()).isEqualTo("building");
    Response again =
        call(new Request("POST", "/v1/me:export").header("Authorization", "Bearer ada-token"));
    assertThat(JSON.readTree(again.body()).path("id").asText()).isEqualTo(job.path("id").asText());
    assertThat(bus.on(Topics.ACCOUNT_EXPORTS)).hasSize(2);

    Response shown =
        call(new Request("GET", "/v1/me/export").header("Authorization", "Bearer ada-token"));
    assertThat(shown.status()).isEqualTo(200);
    JsonNode building = JSON.readTree(shown.body());
    assertThat(building.path("status").asText()).isEqualTo("building");
    assertThat(building.has("url")).as("no URL before the archive exists").isFalse();
  }

  @Test
  void aWebhookIsRegisteredWithItsSecretShownOnceAndAnotherUserCannotSeeIt() throws Exception {
    Response created =
        call(
            new Request("POST", "/v1/webhooks")
                .header("Authorization", "Bearer ada-token")
                .json("{\"url\":\"https://hooks.example.com/x\",\"events\":[\"file.ready\"]}"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode endpoint = JSON.readTree(created.body());
    assertThat(endpoint.path("secret").asText()).startsWith("whsec_");
    String id = endpoint.path("id").asText();

    Response shown =
        call(new Request("GET", "/v1/webhooks/" + id).header("Authorization", "Bearer ada-token"));
    assertThat(JSON.readTree(shown.body()).has("secret")).isFalse();
    Response refused =
        call(
            new Request("POST", "/v1/webhooks")
                .header("Authorization", "Bearer ada-token")
                .json("{\"url\":\"ftp://hooks.example.com/\",\"events\":[\"file.ready\"]}"));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.getContentType()).contains("application/problem+json");
    assertThat(JSON.readTree(refused.body()).path("field").asText()).isEqualTo("url");
  }

  @Test
  void anUnknownTokenIsA401Problem() throws Exception {
    Response response =
        call(new Request("GET", "/v1/me").header("Authorization", "Bearer someone-else"));
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.getContentType()).contains("application/problem+json");
  }
}
