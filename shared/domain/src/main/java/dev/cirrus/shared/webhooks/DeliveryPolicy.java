package dev.cirrus.shared.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When a webhook delivery is tried again, and when it is given up: the schedule Standard Webhooks
 * senders use (immediately, then after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h: about 28 hours
 * in all), for a timeout, a connection that failed, a 5xx or a 429, whose {@code Retry-After} is
 * honoured when it asks for longer (up to the longest step). Any other answer is final: a 2xx
 * delivers, another 4xx fails at once (the receiver refused this message; trying again would be
 * refused again), and a refused egress (a private address) fails at once too.
 */
public final class DeliveryPolicy {
  /** The wait before each retry; its length is the number of retries. */
  public static final List<Duration> SCHEDULE =
      List.of(
          Duration.ofSeconds(5),
          Duration.ofMinutes(5),
          Duration.ofMinutes(30),
          Duration.ofHours(2),
          Duration.ofHours(5),
          Duration.ofHours(10),
          Duration.ofHours(10));

  /** An endpoint failing every delivery for this long is disabled and its owner notified. */
  public static final Duration DISABLE_AFTER = Duration.ofDays(3);

  private DeliveryPolicy() {}

  /** What one attempt came to. */
  public sealed interface Attempt {
    /** The receiver answered {@code status}, with {@code Retry-After} if it sent one. */
    record Answered(int status, Optional<Duration> retryAfter) implements Attempt {}

    /** No answer within the timeout, or the connection failed. */
    record NoAnswer(String why) implements Attempt {}

    /** Not sent: the URL's addresses are refused. */
    record Refused(String why) implements Attempt {}
  }

  /** What happens next. */
  public sealed interface Next {
    record Delivered() implements Next {}

    record RetryAt(Instant at) implements Next {}

    record GiveUp(String why) implements Next {}
  }

  /**
   * @param attempt 1 for the first attempt
   */
  public static Next after(int attempt, Attempt outcome, Instant now) {
    return after(attempt, outcome, now, SCHEDULE);
  }

  /**
   * As {@link #after(int, Attempt, Instant)}, with another schedule: a local stack's tests wait
   * seconds where a deployment waits hours.
   */
  public static Next after(int attempt, Attempt outcome, Instant now, List<Duration> schedule) {
    if (outcome instanceof Attempt.Answered a && a.status() >= 200 && a.status() < 300) {
      return new Next.Delivered();
    }
    if (outcome instanceof Attempt.Refused r) {
      return new Next.GiveUp(r.why());
    }
    boolean retryable =
        outcome instanceof Attempt.NoAnswer
            || (outcome instanceof Attempt.Answered a && (a.status() >= 500 || a.status() == 429));
    if (!retryable) {
      return new Next.GiveUp("the receiver answered " + ((Attempt.Answered) outcome).status());
    }
    if (attempt > schedule.size()) {
      return new Next.GiveUp("no success after " + attempt + " attempts");
    }
    Duration wait = schedule.get(attempt - 1);
    if (outcome instanceof Attempt.Answered a && a.retryAfter().isPresent()) {
      Duration asked = a.retryAfter().get();
      Duration longest = schedule.get(schedule.size() - 1);
      wait = asked.compareTo(wait) > 0 ? (asked.compareTo(longest) > 0 ? longest : asked) : wait;
    }
    return new Next.RetryAt(now.plus(wait));
  }

  /**
   * Whether an endpoint that has failed every delivery since {@code failingSince} is to be disabled
   * at {@code now}.
   */
  public static boolean disables(Optional<Instant> failingSince, Instant now) {
    return failingSince.filter(since -> !since.plus(DISABLE_AFTER).isAfter(now)).isPresent();
  }

  /**
   * A schedule as configured: waits such as {@code 5s,5m,30m,2h}, each a number and a unit ({@code
   * s}, {@code m} or {@code h}).
   *
   * @throws IllegalArgumentException naming the entry that is not one
   */
  public static List<Duration> parseSchedule(String raw) {
    List<Duration> waits = new ArrayList<>();
    for (String entry : raw.split(",")) {
      String e = entry.trim();
      if (!e.matches("\\d{1,6}[smh]")) {
        throw new IllegalArgumentException("not a wait such as 5s, 5m or 2h: '" + e + "'");
      }
      long n = Long.parseLong(e.substring(0, e.length() - 1));
      char unit = e.charAt(e.length() - 1);
      waits.add(
          unit == 's'
              ? Duration.ofSeconds(n)
              : unit == 'm' ? Duration.ofMinutes(n) : Duration.ofHours(n));
    }
    return List.copyOf(waits);
  }
}
