package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.admin.Account;
import dev.cirrus.shared.admin.IdentityAdmin;
import dev.cirrus.shared.error.NotFound;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** {@link IdentityAdmin} in memory, held to the same contract test as the Auth emulator's. */
public final class InMemoryIdentityAdmin implements IdentityAdmin {
  private final Clock clock;
  private final Map<String, Account> accounts = new HashMap<>();
  private final Map<String, Map<String, String>> otherClaims = new HashMap<>();

  public InMemoryIdentityAdmin(Clock clock) {
    this.clock = clock;
  }

  /** Creates an account, as signing up does. */
  public synchronized Account add(String uid, String email) {
    Account account =
        new Account(
            uid,
            Optional.of(email),
            false,
            false,
            Set.of(),
            Optional.of(clock.instant()),
            Optional.empty(),
            Optional.empty());
    accounts.put(uid, account);
    return account;
  }

  @Override
  public synchronized Optional<Account> find(String uid) {
    return Optional.ofNullable(accounts.get(uid));
  }

  @Override
  public synchronized Optional<Account> findByEmail(String email) {
    return accounts.values().stream().filter(a -> a.email().equals(Optional.of(email))).findFirst();
  }

  @Override
  public synchronized void setRoles(String uid, Set<String> roles) {
    accounts.put(uid, existing(uid).withRoles(roles));
  }

  @Override
  public synchronized void revokeSessions(String uid) {
    // Whole seconds, as Firebase keeps it.
    Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
    accounts.put(uid, existing(uid).withTokensValidAfter(now));
  }

  @Override
  public synchronized void setDisabled(String uid, boolean disabled) {
    accounts.put(uid, existing(uid).withDisabled(disabled));
  }

  /** Puts a custom claim other than roles on the account, as another tool might. */
  public synchronized void putClaim(String uid, String name, String value) {
    existing(uid);
    otherClaims.computeIfAbsent(uid, u -> new HashMap<>()).put(name, value);
  }

  /** A custom claim other than roles, if the account has it. */
  public synchronized String claim(String uid, String name) {
    return otherClaims.getOrDefault(uid, Map.of()).get(name);
  }

  private Account existing(String uid) {
    Account account = accounts.get(uid);
    if (account == null) {
      throw new NotFound("user not found");
    }
    return account;
  }

  @Override
  public synchronized void delete(String uid) {
    accounts.remove(uid);
    otherClaims.remove(uid);
  }

  @Override
  public synchronized Set<String> existing(Collection<String> uids) {
    return uids.stream().filter(accounts::containsKey).collect(Collectors.toSet());
  }
}
