package dev.cirrus.shared.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.shared.paging.Cursor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link AuditLog} adapter must have; one subclass per adapter. */
public abstract class AuditLogContract {
  protected abstract AuditLog log();

  // The log is one collection for the whole project: each test marks its entries with a request
  // id of its own and looks only at those, paging through whatever else is there.
  private final String requestId = "request-" + UUID.randomUUID();
  private final Instant t0 = Instant.parse("2026-12-01T00:00:00Z");

  private AuditEntry entry(int secondsAfter) {
    return new AuditEntry(
        UUID.randomUUID().toString(),
        "admin-uid",
        Optional.of("admin@example.com"),
        "user.roles.set",
        "target-uid",
        Map.of("before", "", "after", "admin"),
        t0.plusSeconds(secondsAfter),
        requestId,
        AuditEntry.STARTED);
  }

  /** This test's entries, in the order the pages give them, checking each page's size. */
  private List<AuditEntry> ours(int pageSize) {
    List<AuditEntry> found = new ArrayList<>();
    Optional<Cursor> after = Optional.empty();
    Instant previous = Instant.MAX;
    do {
      AuditLog.AuditPage page = log().list(pageSize, after);
      assertThat(page.entries()).hasSizeLessThanOrEqualTo(pageSize);
      for (AuditEntry e : page.entries()) {
        assertThat(e.at()).as("newest first").isBeforeOrEqualTo(previous);
        previous = e.at();
        if (e.requestId().equals(requestId)) {
          found.add(e);
        }
      }
      after = page.next();
    } while (after.isPresent());
    return found;
  }

  @Test
  void anEntryIsReadBackWholeAndCompleted() {
    AuditEntry e = entry(0);
    log().record(e);
    log().complete(e.id(), AuditEntry.DONE);
    assertThat(ours(50)).containsExactly(e.withOutcome(AuditEntry.DONE));
  }

  @Test
  void entriesArePagedNewestFirst() {
    List<AuditEntry> written = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      AuditEntry e = entry(i);
      log().record(e);
      written.add(0, e);
    }
    // Two of them in the same second: the id breaks the tie, and paging neither skips nor repeats.
    AuditEntry twin = entry(4);
    log().record(twin);
    List<AuditEntry> expected = new ArrayList<>(written);
    expected.add(twin.id().compareTo(written.get(0).id()) > 0 ? 0 : 1, twin);
    assertThat(ours(2)).containsExactlyElementsOf(expected);
  }
}
