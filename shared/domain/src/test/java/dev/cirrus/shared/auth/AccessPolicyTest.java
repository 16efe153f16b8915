package dev.cirrus.shared.auth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.error.NotFound;
import dev.cirrus.shared.error.PermissionDenied;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {
  private final AccessPolicy policy = new AccessPolicy();
  private final Principal alice = new Principal("alice", Optional.empty(), Set.of());
  private final Principal admin = new Principal("root", Optional.empty(), Set.of("admin"));

  @Test
  void someoneElsesObjectLooksMissingRatherThanForbidden() {
    assertThatThrownBy(() -> policy.requireOwnerOrAdmin(alice, "bob", "file"))
        .isInstanceOf(NotFound.class);
  }

  @Test
  void ownersAndAdminsMayAccess() {
    assertThatCode(() -> policy.requireOwnerOrAdmin(alice, "alice", "file"))
        .doesNotThrowAnyException();
    assertThatCode(() -> policy.requireOwnerOrAdmin(admin, "bob", "file"))
        .doesNotThrowAnyException();
  }

  @Test
  void missingRoleIsForbidden() {
    assertThatThrownBy(() -> policy.requireRole(alice, "admin"))
        .isInstanceOf(PermissionDenied.class);
    assertThatCode(() -> policy.requireRole(admin, "admin")).doesNotThrowAnyException();
  }

  @Test
  void onlyWellFormedRoleNamesCount() {
    org.assertj.core.api.Assertions.assertThat(
            RolesClaim.parse(java.util.List.of("admin", "Bad Role", 7, "editor")))
        .containsExactly("admin", "editor");
    org.assertj.core.api.Assertions.assertThat(RolesClaim.parse("admin")).isEmpty();
  }
}
