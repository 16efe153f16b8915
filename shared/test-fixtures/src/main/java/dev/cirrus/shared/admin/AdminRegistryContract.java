package dev.cirrus.shared.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.error.Conflict;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link AdminRegistry} adapter must have. The registry is one record per
 * project, so each test works on uids of its own and looks only at those.
 */
public abstract class AdminRegistryContract {
  protected abstract AdminRegistry registry();

  private final String a = "a-" + UUID.randomUUID();
  private final String b = "b-" + UUID.randomUUID();

  private static Set<String> with(Set<String> admins, String uid) {
    Set<String> next = new HashSet<>(admins);
    next.add(uid);
    return next;
  }

  private static Set<String> without(Set<String> admins, String uid) {
    Set<String> next = new HashSet<>(admins);
    next.remove(uid);
    return next;
  }

  @Test
  void anUpdateIsKeptAndReturned() {
    assertThat(registry().update(admins -> with(admins, a))).contains(a);
    assertThat(registry().update(admins -> with(admins, b))).contains(a, b);
    assertThat(registry().admins()).contains(a, b);
    registry().update(admins -> without(admins, a));
    assertThat(registry().admins()).contains(b).doesNotContain(a);
    registry().update(admins -> without(admins, b));
  }

  @Test
  void aRefusedUpdateChangesNothing() {
    registry().update(admins -> with(admins, a));
    assertThatThrownBy(
            () ->
                registry()
                    .update(
                        admins -> {
                          throw new Conflict("last-admin", "refused");
                        }))
        .isInstanceOf(Conflict.class);
    assertThat(registry().admins()).contains(a);
    registry().update(admins -> without(admins, a));
  }
}
