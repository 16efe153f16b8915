package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.error.Unavailable;
import dev.cirrus.shared.users.UserCache;
import dev.cirrus.shared.users.UserRecord;
import java.util.Optional;

/** A {@link UserCache} whose store is down: every call fails as the Redis adapter's does then. */
public final class UnreachableUserCache implements UserCache {
  private final String why;

  public UnreachableUserCache(String why) {
    this.why = why;
  }

  @Override
  public Optional<UserRecord> find(String uid) {
    throw down();
  }

  @Override
  public void remember(UserRecord user) {
    throw down();
  }

  @Override
  public void writeThrough(UserRecord user) {
    throw down();
  }

  @Override
  public void evict(String uid) {
    throw down();
  }

  private Unavailable down() {
    return new Unavailable(why, null);
  }
}
