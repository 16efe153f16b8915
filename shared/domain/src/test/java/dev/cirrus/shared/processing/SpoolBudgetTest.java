package dev.cirrus.shared.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.error.Unavailable;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SpoolBudgetTest {
  private static final long MIB = 1024 * 1024;

  @Test
  void spoolsThatFitTogetherRunTogether() {
    SpoolBudget budget = new SpoolBudget(100 * MIB, Duration.ofSeconds(1));
    try (SpoolBudget.Reservation a = budget.reserve(40 * MIB);
        SpoolBudget.Reservation b = budget.reserve(60 * MIB)) {
      assertThat(budget.freeBytes()).isZero();
    }
    assertThat(budget.freeBytes()).isEqualTo(100 * MIB);
  }

  @Test
  void aSpoolThatDoesNotFitWaitsForRoom() throws Exception {
    SpoolBudget budget = new SpoolBudget(100 * MIB, Duration.ofSeconds(10));
    SpoolBudget.Reservation first = budget.reserve(70 * MIB);
    CountDownLatch admitted = new CountDownLatch(1);
    CompletableFuture<Void> second =
        CompletableFuture.runAsync(
            () -> {
              try (SpoolBudget.Reservation r = budget.reserve(70 * MIB)) {
                admitted.countDown();
              }
            });
    assertThat(admitted.await(200, TimeUnit.MILLISECONDS)).isFalse();
    first.close();
    assertThat(admitted.await(5, TimeUnit.SECONDS)).isTrue();
    second.join();
  }

  @Test
  void aSpoolLargerThanTheBudgetRunsAlone() {
    SpoolBudget budget = new SpoolBudget(100 * MIB, Duration.ofMillis(50));
    try (SpoolBudget.Reservation huge = budget.reserve(500 * MIB)) {
      assertThat(budget.freeBytes()).isZero();
      assertThatThrownBy(() -> budget.reserve(1)).isInstanceOf(Unavailable.class);
    }
  }

  @Test
  void aSpoolNeverGrowsPastTheBytesReservedForIt() throws Exception {
    SpoolBudget budget = new SpoolBudget(100 * MIB, Duration.ofMillis(50));
    byte[] bytes = new byte[200_000];
    bytes[0] = (byte) 0xFF;
    bytes[1] = (byte) 0xD8;
    bytes[2] = (byte) 0xFF;
    try (SpoolBudget.Reservation room = budget.reserve(100_000)) {
      ObjectScan.Sniffed sniffed = ObjectScan.sniff(new ByteArrayInputStream(bytes));
      assertThatThrownBy(() -> ObjectScan.of(sniffed, room))
          .isInstanceOfSatisfying(
              Rejection.class, r -> assertThat(r.reason()).isEqualTo(Rejection.SIZE_MISMATCH));
    }
    assertThat(budget.freeBytes()).isEqualTo(100 * MIB);
  }

  @Test
  void aReservationClosedTwiceReleasesItsRoomOnce() {
    SpoolBudget budget = new SpoolBudget(MIB, Duration.ofMillis(50));
    try (SpoolBudget.Reservation held = budget.reserve(MIB / 2)) {
      SpoolBudget.Reservation room = budget.reserve(MIB / 4);
      room.close();
      room.close();
      assertThat(budget.freeBytes()).isEqualTo(MIB / 2);
    }
  }
}
