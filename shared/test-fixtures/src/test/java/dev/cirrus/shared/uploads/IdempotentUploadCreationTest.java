package dev.cirrus.shared.uploads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.adapter.memory.InMemoryObjectStorage;
import dev.cirrus.shared.adapter.memory.InMemoryUploadStore;
import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.config.Limits;
import dev.cirrus.shared.config.UploadPolicy;
import dev.cirrus.shared.error.BadRequest;
import dev.cirrus.shared.error.Conflict;
import dev.cirrus.shared.json.JsonCodec;
import dev.cirrus.shared.json.JsonMessageCodec;
import dev.cirrus.shared.testing.MutableClock;
import dev.cirrus.shared.testing.RecordingEventBus;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/uploads} with an {@code Idempotency-Key}: what a phone needs to retry a create
 * whose answer it never got without leaving sessions behind that fill its uploads in flight.
 */
class IdempotentUploadCreationTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
  private final InMemoryUploadStore uploads = new InMemoryUploadStore();
  private final InMemoryObjectStorage storage = new InMemoryObjectStorage(clock);
  private final UploadPolicy policy = UploadPolicy.DEFAULTS;
  private final UploadService service =
      new UploadService(
          uploads,
          storage,
          new RecordingEventBus(),
          new JsonMessageCodec(new JsonCodec()),
          clock,
          () -> UUID.randomUUID().toString(),
          policy,
          "uploads",
          Limits.DEFAULTS.withDefaultQuota(10_000_000L));
  private final Principal ada = new Principal("ada", Optional.of("ada@example.com"), Set.of());
  private final Principal bob = new Principal("bob", Optional.of("bob@example.com"), Set.of());

  private NewUpload file(String name) {
    return NewUpload.validate(name, "text/plain", 5L, null, null, policy);
  }

  private UploadCreated create(Principal who, NewUpload upload, String key) {
    return service.create(
        who, upload, Optional.empty(), Optional.empty(), IdempotencyKey.of(Optional.of(key)));
  }

  private boolean sessionTakesBytes(UploadCreated created) {
    return storage.upload(
        URI.create(created.uploadUrl()), "hello".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aRetryWithTheSameKeyAnswersTheSameSessionAndReservesOnce() {
    UploadCreated first = create(ada, file("a.txt"), "key-1");
    UploadCreated retry = create(ada, file("a.txt"), "key-1");

    assertThat(retry).isEqualTo(first);
    assertThat(uploads.reservedBytes("ada")).isEqualTo(5);
    assertThat(uploads.ofOwner("ada", 10)).hasSize(1);
    assertThat(sessionTakesBytes(first)).isTrue();
    assertThat(create(ada, file("a.txt"), "key-1").uploadId())
        .as("after the bytes, still the same upload")
        .isEqualTo(first.uploadId());
  }

  @Test
  void aRetryIsAnsweredEvenWhenTheOwnerIsAtTheCapOfUploadsInFlight() {
    List<UploadCreated> created = new ArrayList<>();
    for (int i = 0; i < policy.maxPendingUploads(); i++) {
      created.add(create(ada, file("f" + i + ".txt"), "key-" + i));
    }
    assertThat(create(ada, file("f3.txt"), "key-3")).isEqualTo(created.get(3));
    assertThatThrownBy(() -> create(ada, file("new.txt"), "key-new"))
        .isInstanceOf(Conflict.class)
        .hasMessageContaining("in flight");
  }

  @Test
  void aKeySentWithADifferentUploadIsRefused() {
    create(ada, file("a.txt"), "key-1");
    assertThatThrownBy(() -> create(ada, file("b.txt"), "key-1"))
        .isInstanceOf(Conflict.class)
        .hasMessageContaining("different upload");
  }

  @Test
  void twoOwnersMayUseTheSameKey() {
    UploadCreated ada1 = create(ada, file("a.txt"), "shared-key");
    UploadCreated bob1 = create(bob, file("a.txt"), "shared-key");
    assertThat(bob1.uploadId()).isNotEqualTo(ada1.uploadId());
    assertThat(uploads.find(bob1.uploadId()).orElseThrow().ownerUid()).isEqualTo("bob");
  }

  @Test
  void withoutAKeyEveryCreateIsANewUpload() {
    UploadCreated one = service.create(ada, file("a.txt"), Optional.empty(), Optional.empty());
    UploadCreated two = service.create(ada, file("a.txt"), Optional.empty(), Optional.empty());
    assertThat(two.uploadId()).isNotEqualTo(one.uploadId());
  }

  @Test
  void aKeyThatIsNotVisibleAsciiOrTooLongIsABadRequest() {
    for (String bad : List.of("", "has space", "é", "x".repeat(256))) {
      assertThatThrownBy(() -> IdempotencyKey.of(Optional.of(bad)))
          .as(bad)
          .isInstanceOf(BadRequest.class)
          .hasMessageContaining("Idempotency-Key");
    }
  }

  @Test
  void twoRequestsWithTheSameKeyAtOnceLeaveOneUploadAndOneOpenSession() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<UploadCreated>> racing = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        racing.add(pool.submit(() -> create(ada, file("a.txt"), "racing-key")));
      }
      List<UploadCreated> answers = new ArrayList<>();
      for (Future<UploadCreated> f : racing) {
        answers.add(f.get());
      }
      assertThat(answers).allSatisfy(a -> assertThat(a).isEqualTo(answers.get(0)));
      assertThat(uploads.ofOwner("ada", 10)).hasSize(1);
      assertThat(sessionTakesBytes(answers.get(0))).isTrue();
    } finally {
      pool.shutdownNow();
    }
  }
}
