package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.admin.AdminRegistry;
import java.util.HashSet;
import java.util.Set;
import java.util.function.UnaryOperator;

/** {@link AdminRegistry} in memory, held to the same contract test as Firestore's. */
public final class InMemoryAdminRegistry implements AdminRegistry {
  private Set<String> admins = Set.of();

  @Override
  public synchronized Set<String> admins() {
    return admins;
  }

  @Override
  public synchronized Set<String> update(UnaryOperator<Set<String>> change) {
    admins = Set.copyOf(change.apply(new HashSet<>(admins)));
    return admins;
  }
}
