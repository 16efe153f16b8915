package dev.cirrus.shared.deadletters;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.shared.paging.Cursor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link DeadLetterStore} adapter must have; one subclass per adapter. */
public abstract class DeadLetterStoreContract {
  protected abstract DeadLetterStore store();

  private final Instant t0 = Instant.parse("2026-12-01T00:00:00Z");

  private DeadLetter letter(int secondsAfter) {
    return letter(t0.plusSeconds(secondsAfter));
  }

  private DeadLetter letter(Instant at) {
    return new DeadLetter(
        "dl-" + UUID.randomUUID(),
        "projects/demo/subscriptions/notify-file-events",
        Optional.of("file-events"),
        Map.of("type", "file.ready", "traceparent", "00-abc-def-01"),
        "{\"fileId\":\"f\"}".getBytes(StandardCharsets.UTF_8),
        5,
        at,
        Optional.empty());
  }

  @Test
  void aDeadLetterIsRecordedOnceAndReadBackWhole() {
    DeadLetter d = letter(0);
    assertThat(store().record(d)).isTrue();
    assertThat(store().record(d)).isFalse();
    DeadLetter back = store().find(d.id()).orElseThrow();
    assertThat(back.data()).isEqualTo(d.data());
    assertThat(back.attributes()).isEqualTo(d.attributes());
    assertThat(back.topic()).contains("file-events");
    assertThat(back.attempts()).isEqualTo(5);
    assertThat(back.deadLetteredAt()).isEqualTo(d.deadLetteredAt());
    assertThat(back.redrivenAt()).isEmpty();
    assertThat(store().find("dl-missing-" + UUID.randomUUID())).isEmpty();
  }

  @Test
  void aRedriveIsRecorded() {
    DeadLetter d = letter(0);
    store().record(d);
    store().markRedriven(d.id(), t0.plusSeconds(60));
    assertThat(store().find(d.id()).orElseThrow().redrivenAt()).contains(t0.plusSeconds(60));
  }

  @Test
  void listingIsNewestFirstInPages() {
    // Later than anything else in the store, however often the suite runs against it.
    Instant latest = Instant.parse("2090-01-01T00:00:00Z").plusMillis(System.currentTimeMillis());
    List<DeadLetter> mine = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      DeadLetter d = letter(latest.plusSeconds(i));
      store().record(d);
      mine.add(0, d);
    }
    DeadLetterStore.DeadLetterPage first = store().list(3, Optional.empty());
    assertThat(first.deadLetters())
        .extracting(DeadLetter::id)
        .containsExactly(mine.get(0).id(), mine.get(1).id(), mine.get(2).id());
    Optional<Cursor> next = first.next();
    assertThat(next).isPresent();
    DeadLetterStore.DeadLetterPage second = store().list(2, next);
    assertThat(second.deadLetters())
        .extracting(DeadLetter::id)
        .containsExactly(mine.get(3).id(), mine.get(4).id());
  }
}
