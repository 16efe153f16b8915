package dev.cirrus.shared.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.error.NotFound;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link IdentityAdmin} adapter must have; one subclass per adapter. */
public abstract class IdentityAdminContract {
  protected abstract IdentityAdmin admin();

  /** Creates an account with this email, as signing up does; returns its uid. */
  protected abstract String signUp(String email);

  /** Puts a custom claim other than roles on the account, as another tool might. */
  protected abstract void setOtherClaim(String uid, String name, String value);

  /** The account's custom claims other than roles, as the next token would carry them. */
  protected abstract String otherClaim(String uid, String name);

  private static String email() {
    return "user-" + UUID.randomUUID() + "@example.com";
  }

  @Test
  void anAccountIsFoundByUidAndByEmail() {
    String email = email();
    String uid = signUp(email);
    Account byUid = admin().find(uid).orElseThrow();
    assertThat(byUid.email()).contains(email);
    assertThat(byUid.disabled()).isFalse();
    assertThat(byUid.roles()).isEmpty();
    assertThat(byUid.createdAt()).isPresent();
    assertThat(admin().findByEmail(email).map(Account::uid)).contains(uid);
    assertThat(admin().find("nobody-" + UUID.randomUUID())).isEmpty();
    assertThat(admin().findByEmail(email())).isEmpty();
  }

  @Test
  void rolesAreSetAndReplacedKeepingOtherClaims() {
    String uid = signUp(email());
    setOtherClaim(uid, "tier", "gold");
    admin().setRoles(uid, Set.of("admin"));
    assertThat(admin().find(uid).orElseThrow().roles()).containsExactly("admin");
    admin().setRoles(uid, Set.of());
    assertThat(admin().find(uid).orElseThrow().roles()).isEmpty();
    assertThat(otherClaim(uid, "tier")).isEqualTo("gold");
  }

  @Test
  void revokingSessionsMovesTheTimeTokensAreValidAfter() {
    String uid = signUp(email());
    Instant before = Instant.now().minusSeconds(1);
    admin().revokeSessions(uid);
    assertThat(admin().find(uid).orElseThrow().tokensValidAfter())
        .hasValueSatisfying(t -> assertThat(t).isAfterOrEqualTo(before));
  }

  @Test
  void anAccountIsDisabledAndEnabled() {
    String uid = signUp(email());
    admin().setDisabled(uid, true);
    assertThat(admin().find(uid).orElseThrow().disabled()).isTrue();
    admin().setDisabled(uid, false);
    assertThat(admin().find(uid).orElseThrow().disabled()).isFalse();
  }

  @Test
  void changingAnAccountThatDoesNotExistIsNotFound() {
    String nobody = "nobody-" + UUID.randomUUID();
    assertThatThrownBy(() -> admin().setRoles(nobody, Set.of("admin")))
        .isInstanceOf(NotFound.class);
    assertThatThrownBy(() -> admin().setDisabled(nobody, true)).isInstanceOf(NotFound.class);
    assertThatThrownBy(() -> admin().revokeSessions(nobody)).isInstanceOf(NotFound.class);
  }

  @Test
  void anAccountIsDeletedOnceAndWhoStillExistsIsAskedInOneCall() {
    String kept = signUp("kept-" + UUID.randomUUID() + "@example.com");
    String gone = signUp("gone-" + UUID.randomUUID() + "@example.com");

    admin().delete(gone);
    admin().delete(gone);

    assertThat(admin().find(gone)).isEmpty();
    assertThat(admin().existing(List.of(kept, gone, "never-" + UUID.randomUUID())))
        .containsExactly(kept);
    assertThat(admin().existing(List.of())).isEmpty();
  }
}
