package dev.cirrus.shared.deadletters;

import dev.cirrus.shared.paging.Cursor;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: {@code deadLetters/{id}}. */
public interface DeadLetterStore {

  /** A page, newest first, and the cursor after its last record if more may follow. */
  record DeadLetterPage(List<DeadLetter> deadLetters, Optional<Cursor> next) {
    public DeadLetterPage {
      deadLetters = List.copyOf(deadLetters);
    }

    public static DeadLetterPage of(List<DeadLetter> fetched, int pageSize) {
      return new DeadLetterPage(
          fetched.subList(0, Math.min(pageSize, fetched.size())),
          Cursor.after(fetched, pageSize, DeadLetter::deadLetteredAt, DeadLetter::id));
    }
  }

  /**
   * Records it unless a record with its id exists (a redelivered dead letter).
   *
   * @return true if this call recorded it
   */
  boolean record(DeadLetter deadLetter);

  Optional<DeadLetter> find(String id);

  /** Newest first. */
  DeadLetterPage list(int pageSize, Optional<Cursor> after);

  /** Records a re-drive; the record stays, for the history. */
  void markRedriven(String id, Instant at);
}
