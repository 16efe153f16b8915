package dev.cirrus.shared.notifications;

import dev.cirrus.shared.error.Unavailable;
import dev.cirrus.shared.notifications.NotificationStore.Addressed;
import dev.cirrus.shared.notifications.PushSender.Push;
import dev.cirrus.shared.notifications.PushSender.Result;
import dev.cirrus.shared.processing.EventClaims;
import dev.cirrus.shared.users.Device;
import dev.cirrus.shared.users.Recipient;
import dev.cirrus.shared.users.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Tells users a notice: an in-app notification each and a push to each of their devices. Works in
 * batches of {@value #BATCH} recipients, each claimed on its own, so a redelivery skips what is
 * done, a concurrent delivery waits for the batches it finds held, and a batch interrupted half-way
 * is redone by the next delivery without writing or pushing anything twice.
 */
public final class Notifier {
  /** Recipients per batch: one Firestore write batch of notifications, one read of users. */
  public static final int BATCH = 500;

  /**
   * Long enough for a batch's writes and pushes (seconds); a dead holder's batch is free after it.
   * Pub/Sub redelivers 10 s, 30 s, 70 s and 150 s after the first attempt, then dead-letters: a
   * minute frees the batch by the fourth attempt, where two minutes left only the last.
   */
  static final Duration LEASE = Duration.ofMinutes(1);

  /** Where notifications go and what they need. */
  public record Ports(
      UserStore users,
      NotificationStore notifications,
      DeliveryLog deliveries,
      PushSender push,
      EventClaims claims,
      Clock clock) {}

  /** What a delivery did, summed over its batches; {@code done} batches were finished before. */
  public record Outcome(
      int recipients,
      int unknown,
      int muted,
      int written,
      int pushed,
      int pruned,
      int failed,
      int done) {
    static final Outcome NONE = new Outcome(0, 0, 0, 0, 0, 0, 0, 0);

    Outcome plus(Outcome o) {
      return new Outcome(
          recipients + o.recipients,
          unknown + o.unknown,
          muted + o.muted,
          written + o.written,
          pushed + o.pushed,
          pruned + o.pruned,
          failed + o.failed,
          done + o.done);
    }
  }

  private final Ports ports;
  private final Executor batchRunner;

  /**
   * @param batchRunner runs a delivery's batches; a few threads let them overlap their waits
   */
  public Notifier(Ports ports, Executor batchRunner) {
    this.ports = ports;
    this.batchRunner = batchRunner;
  }

  /**
   * Notifies {@code uids} (each once, in a stable order: batches are cut from it the same way on
   * every delivery).
   *
   * @param holder who this delivery is, for the batch claims; unique per delivery
   * @throws Unavailable when some batch is left for a redelivery: held by a concurrent delivery, or
   *     with pushes that failed transiently
   */
  public Outcome notify(NotificationContent notice, List<String> uids, String holder) {
    // Batches are independent (each has its own claim), so they go out side by side: most of a
    // batch's time is spent waiting on Firestore and FCM.
    List<CompletableFuture<Settled>> batches = new ArrayList<>();
    for (int start = 0; start < uids.size(); start += BATCH) {
      List<String> batch = uids.subList(start, Math.min(uids.size(), start + BATCH));
      String key = "notify/" + notice.sourceKey() + "/" + (start / BATCH);
      batches.add(
          CompletableFuture.supplyAsync(() -> settle(notice, batch, key, holder), batchRunner));
    }
    Outcome total = Outcome.NONE;
    List<String> unfinished = new ArrayList<>();
    Unavailable lastFailure = null;
    RuntimeException fatal = null;
    for (CompletableFuture<Settled> future : batches) {
      Settled settled = future.join();
      total = total.plus(settled.outcome());
      settled.unfinished().ifPresent(unfinished::add);
      if (settled.failure() instanceof Unavailable unavailable) {
        lastFailure = unavailable;
      } else if (settled.failure() != null && fatal == null) {
        fatal = settled.failure();
      }
    }
    if (fatal != null) {
      throw fatal;
    }
    if (!unfinished.isEmpty()) {
      throw new Unavailable(
          "notice " + notice.sourceKey() + " is not finished: " + String.join(", ", unfinished),
          lastFailure);
    }
    return total;
  }

  /** What became of one batch: its outcome, why it is unfinished if it is, and any failure. */
  private record Settled(Outcome outcome, Optional<String> unfinished, RuntimeException failure) {}

  private Settled settle(
      NotificationContent notice, List<String> batch, String key, String holder) {
    EventClaims.State state = ports.claims().claim(key, holder, ports.clock().instant(), LEASE);
    if (state == EventClaims.State.DONE) {
      return new Settled(new Outcome(batch.size(), 0, 0, 0, 0, 0, 0, 1), Optional.empty(), null);
    }
    if (state == EventClaims.State.HELD) {
      return new Settled(Outcome.NONE, Optional.of(key + " (held by another delivery)"), null);
    }
    try {
      BatchResult result = deliver(notice, batch, key);
      if (result.retryable() > 0) {
        ports.claims().release(key, holder);
        return new Settled(
            result.outcome(),
            Optional.of(key + " (" + result.retryable() + " pushes to retry)"),
            null);
      }
      ports.claims().finish(key, holder, result.outcome().toString(), ports.clock().instant());
      return new Settled(result.outcome(), Optional.empty(), null);
    } catch (Unavailable e) {
      ports.claims().release(key, holder);
      return new Settled(Outcome.NONE, Optional.of(key + " (" + e.getMessage() + ")"), e);
    } catch (RuntimeException e) {
      ports.claims().release(key, holder);
      return new Settled(Outcome.NONE, Optional.empty(), e);
    }
  }

  private record BatchResult(Outcome outcome, int retryable) {}

  private BatchResult deliver(NotificationContent notice, List<String> batch, String key) {
    Map<String, Recipient> found = ports.users().recipients(batch);
    StoredNotification notification = notice.notification();
    List<Recipient> targets = new ArrayList<>();
    int unknown = 0;
    int muted = 0;
    for (String uid : batch) {
      Recipient recipient = found.get(uid);
      if (recipient == null) {
        unknown++;
      } else if (recipient.mutes(notice.type())) {
        muted++;
      } else {
        targets.add(recipient);
      }
    }
    int written =
        ports
            .notifications()
            .createMissing(
                targets.stream().map(r -> new Addressed(r.uid(), notification)).toList());

    Set<String> delivered = ports.deliveries().delivered(key);
    List<Push> pushes = new ArrayList<>();
    for (Recipient recipient : targets) {
      for (Device device : recipient.devices()) {
        String deviceKey = recipient.uid() + "/" + device.id();
        if (!delivered.contains(deviceKey)) {
          pushes.add(new Push(deviceKey, device.token(), device.platform(), notification));
        }
      }
    }
    List<Result> results = pushes.isEmpty() ? List.of() : ports.push().send(pushes);
    Set<String> settled = new HashSet<>();
    int pushed = 0;
    int pruned = 0;
    int failed = 0;
    int retryable = 0;
    for (Result result : results) {
      switch (result.status()) {
        case SENT -> pushed++;
        case TOKEN_GONE -> {
          String[] parts = result.push().deviceKey().split("/", 2);
          ports.users().removeDevice(parts[0], parts[1]);
          pruned++;
        }
        case FAILED -> failed++;
        case TRANSIENT -> retryable++;
      }
      if (result.status() != PushSender.Status.TRANSIENT) {
        settled.add(result.push().deviceKey());
      }
    }
    if (!settled.isEmpty()) {
      ports.deliveries().record(key, settled, ports.clock().instant());
    }
    return new BatchResult(
        new Outcome(batch.size(), unknown, muted, written, pushed, pruned, failed, 0), retryable);
  }
}
