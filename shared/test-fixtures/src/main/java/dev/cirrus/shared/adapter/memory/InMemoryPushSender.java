package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.notifications.PushSender;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link PushSender} that keeps what it sends, for tests; tokens can be made to fail, as FCM's
 * do. Held to the same contract test as the FCM adapter.
 */
public final class InMemoryPushSender implements PushSender {
  private final List<Push> sent = new ArrayList<>();
  private final Map<String, Status> broken = new HashMap<>();
  private final Map<String, Deque<Status>> failNext = new HashMap<>();

  /** From now on every push to {@code token} ends with {@code status}. */
  public synchronized void breakToken(String token, Status status) {
    broken.put(token, status);
  }

  /** The next {@code times} pushes to {@code token} end with {@code status}. */
  public synchronized void failNext(String token, Status status, int times) {
    Deque<Status> queue = failNext.computeIfAbsent(token, t -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      queue.add(status);
    }
  }

  /** Every push accepted, oldest first. */
  public synchronized List<Push> sent() {
    return List.copyOf(sent);
  }

  @Override
  public synchronized List<Result> send(List<Push> pushes) {
    List<Result> results = new ArrayList<>();
    for (Push push : pushes) {
      Deque<Status> queue = failNext.get(push.token());
      Status status = broken.getOrDefault(push.token(), queue == null ? null : queue.poll());
      if (status == null || status == Status.SENT) {
        sent.add(push);
        results.add(new Result(push, Status.SENT, "memory/" + sent.size()));
      } else {
        results.add(new Result(push, status, "failed as told"));
      }
    }
    return results;
  }
}
