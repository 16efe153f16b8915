package dev.cirrus.shared.users;

import dev.cirrus.shared.error.Unavailable;
import java.util.Optional;

/**
 * Port: user documents ({@link UserRecord}) kept where every instance can read them faster than
 * Firestore (Redis in production, Memorystore). Only for showing a user their own profile: rules
 * that decide (admission, quota) read Firestore in their transactions, never this.
 *
 * <p>A writer of {@code users/{uid}} that changes what a record holds calls {@link #evict} after
 * its commit. Eviction leaves a short-lived mark that {@link #remember} does not overwrite, so a
 * reader that read Firestore before the commit cannot put the old record back.
 */
public interface UserCache {

  /**
   * The cached record, if any.
   *
   * @throws Unavailable when the cache cannot be asked
   */
  Optional<UserRecord> find(String uid);

  /** Caches a record just read from Firestore, unless one is cached or it was just evicted. */
  void remember(UserRecord user);

  /**
   * Caches a record just written to Firestore (write-through), unless a later write evicted it
   * meanwhile: then the next read reads Firestore.
   */
  void writeThrough(UserRecord user);

  /** Forgets the user's record: it has changed, or its roles have. */
  void evict(String uid);

  /** A cache that holds nothing: every read goes to Firestore. */
  UserCache NONE =
      new UserCache() {
        @Override
        public Optional<UserRecord> find(String uid) {
          return Optional.empty();
        }

        @Override
        public void remember(UserRecord user) {}

        @Override
        public void writeThrough(UserRecord user) {}

        @Override
        public void evict(String uid) {}
      };
}
