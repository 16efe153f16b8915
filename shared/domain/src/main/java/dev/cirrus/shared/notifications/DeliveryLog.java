package dev.cirrus.shared.notifications;

import java.time.Instant;
import java.util.Collection;
import java.util.Set;

/**
 * Port: which devices a batch of notifications has been pushed to. A redelivery reads it and pushes
 * only to the devices still missing, so no device gets the same notification twice.
 */
public interface DeliveryLog {

  /** The device keys recorded for {@code batchKey}; empty for a batch never seen. */
  Set<String> delivered(String batchKey);

  /** Adds {@code deviceKeys} to the batch's record, which expires long after any redelivery. */
  void record(String batchKey, Collection<String> deviceKeys, Instant now);

  /**
   * Removes the user's device keys from up to {@code limit} delivery records.
   *
   * @return how many records it changed: fewer than {@code limit} when none name the user
   */
  int forget(String uid, int limit);
}
