package dev.cirrus.shared.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link DeliveryLog} adapter must have; one subclass per adapter. */
public abstract class DeliveryLogContract {
  protected abstract DeliveryLog log();

  private final Instant now = Instant.parse("2026-12-01T09:00:00Z");

  @Test
  void aBatchNeverSeenHasNoDeliveries() {
    assertThat(log().delivered("batch-" + UUID.randomUUID())).isEmpty();
  }

  @Test
  void recordsAddUpAndRepeatsCountOnce() {
    String batch = "notify/request:" + UUID.randomUUID() + "/0";
    log().record(batch, List.of("u1/d1", "u1/d2"), now);
    log().record(batch, List.of("u1/d2", "u2/d1"), now.plusSeconds(1));
    assertThat(log().delivered(batch)).containsExactlyInAnyOrder("u1/d1", "u1/d2", "u2/d1");
    assertThat(log().delivered(batch + "x")).isEmpty();
  }

  @Test
  void forgettingAUserRemovesTheirDeviceKeysOnly() {
    String uid = "gone-" + UUID.randomUUID();
    String batch = "notify/request:" + UUID.randomUUID() + "/0";
    String another = batch + "/1";
    log().record(batch, List.of(uid + "/d1", uid + "/d2", "stays/d1"), now);
    log().record(another, List.of(uid + "/d3"), now);

    int changed = 0;
    for (int n; (n = log().forget(uid, 1)) > 0; ) {
      changed += n;
    }

    assertThat(changed).isEqualTo(2);
    assertThat(log().delivered(batch)).containsExactly("stays/d1");
    assertThat(log().delivered(another)).isEmpty();
  }
}
