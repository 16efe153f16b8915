package dev.cirrus.shared.users;

import dev.cirrus.shared.accounts.AccountDeletions;
import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.config.Limits;
import dev.cirrus.shared.error.Conflict;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** The user-facing use cases: profile, settings and push devices. */
public final class UserService {
  private final UserStore store;
  private final UserCache cache;
  private final AccountDeletions deletions;
  private final Clock clock;
  private final Limits limits;

  /**
   * @param cache where the profile is read first: {@code GET /v1/me} is most of this service's
   *     traffic and the document changes rarely
   * @param deletions read when the profile is not cached: an account being deleted, or deleted, is
   *     not made anew by a token the verifier still trusts
   */
  public UserService(
      UserStore store, UserCache cache, AccountDeletions deletions, Clock clock, Limits limits) {
    this.store = store;
    this.cache = cache;
    this.deletions = deletions;
    this.clock = clock;
    this.limits = limits;
  }

  /** The caller's profile; the first call creates it. */
  public MeView me(Principal caller) {
    return view(caller, ensure(caller));
  }

  public MeView.SettingsView updateSettings(Principal caller, Settings settings) {
    ensure(caller);
    UserRecord saved = store.saveSettings(caller.uid(), settings);
    cache.writeThrough(saved);
    return new MeView.SettingsView(saved.settings().mutedTypes());
  }

  public DeviceRegistration registerDevice(Principal caller, String token, String platform) {
    DevicePlatform parsed = DevicePlatform.parse(platform);
    Device device = Device.register(token, parsed, clock.instant());
    ensure(caller);
    // A phone belongs to whoever signed in on it last: the previous account stops getting its
    // pushes before the new one starts.
    for (String holder : store.holdersOf(device.id())) {
      if (!holder.equals(caller.uid())) {
        store.removeDevice(holder, device.id());
      }
    }
    return store.registerDevice(caller.uid(), device, limits.maxDevicesPerUser());
  }

  public void removeDevice(Principal caller, String deviceId) {
    store.removeDevice(caller.uid(), Device.requireValidId(deviceId));
  }

  /** The caller's record, from the cache when it holds it; the first call creates it. */
  private UserRecord ensure(Principal caller) {
    Optional<UserRecord> cached = cache.find(caller.uid());
    if (cached.isPresent()) {
      return cached.get();
    }
    if (deletions.find(caller.uid()).isPresent()) {
      throw new Conflict(
          "account-deleting", "this account is being deleted; GET /v1/me/deletion says how far");
    }
    UserRecord user =
        store.findOrCreate(
            new UserRecord(
                caller.uid(),
                caller.email(),
                Settings.DEFAULT,
                Quota.empty(limits.defaultQuotaBytes()),
                clock.instant()));
    cache.remember(user);
    return user;
  }

  private MeView view(Principal caller, UserRecord user) {
    Optional<String> email = caller.email().or(user::email);
    Quota q = user.quota();
    return new MeView(
        user.uid(),
        email.orElse(null),
        List.copyOf(new TreeSet<>(caller.roles())),
        new MeView.SettingsView(user.settings().mutedTypes()),
        // The limit the caller can use: an unverified or anonymous account gets less.
        new MeView.QuotaView(
            q.usedBytes(), q.fileCount(), QuotaTier.effectiveLimit(q, limits, caller.standing())));
  }
}
