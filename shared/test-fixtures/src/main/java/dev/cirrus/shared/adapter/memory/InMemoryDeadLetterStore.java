package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.deadletters.DeadLetter;
import dev.cirrus.shared.deadletters.DeadLetterStore;
import dev.cirrus.shared.paging.Cursor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link DeadLetterStore} in memory, held to the same contract test as Firestore's. */
public final class InMemoryDeadLetterStore implements DeadLetterStore {
  private final Map<String, DeadLetter> letters = new HashMap<>();

  @Override
  public synchronized boolean record(DeadLetter deadLetter) {
    return letters.putIfAbsent(deadLetter.id(), deadLetter) == null;
  }

  @Override
  public synchronized Optional<DeadLetter> find(String id) {
    return Optional.ofNullable(letters.get(id));
  }

  @Override
  public synchronized DeadLetterPage list(int pageSize, Optional<Cursor> after) {
    List<DeadLetter> all = new ArrayList<>(letters.values());
    all.sort(
        Comparator.comparing(DeadLetter::deadLetteredAt).thenComparing(DeadLetter::id).reversed());
    List<DeadLetter> fetched = new ArrayList<>();
    for (DeadLetter d : all) {
      if (after.isPresent()) {
        int byTime = d.deadLetteredAt().compareTo(after.get().createdAt());
        if (byTime > 0 || (byTime == 0 && d.id().compareTo(after.get().id()) >= 0)) {
          continue;
        }
      }
      fetched.add(d);
      if (fetched.size() > pageSize) {
        break;
      }
    }
    return DeadLetterPage.of(fetched, pageSize);
  }

  @Override
  public synchronized void markRedriven(String id, Instant at) {
    letters.computeIfPresent(id, (k, d) -> d.redriven(at));
  }
}
