package dev.cirrus.local.runner;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;

/**
 * One request's wait for an instance, as Cloud Run's front end holds a request pending while no
 * instance is up: a refused connection (nothing listens: the instance died) is not a failure while
 * a replacement may still serve within the pending window.
 */
final class PendingRequest {
  /** What to do after a failed attempt. */
  enum Next {
    /** The failure was not a missing instance: the caller's own rule applies. */
    NOT_PENDING,
    /** An instance serves now: send again. */
    SEND_AGAIN,
    /** None served within the window. */
    NO_INSTANCE
  }

  /** Between attempts while an instance is believed up but refuses: it has just died. */
  private static final Duration REFUSED_PAUSE = Duration.ofMillis(25);

  private final Instances instances;
  private long since;

  PendingRequest(Instances instances) {
    this.instances = instances;
  }

  Next after(IOException failure) throws InterruptedException {
    if (!instances.supervised() || !refused(failure)) {
      return Next.NOT_PENDING;
    }
    long now = System.nanoTime();
    since = since == 0 ? now : since;
    Duration left = instances.pendingWindow().minusNanos(now - since);
    if (left.isNegative() || left.isZero() || !instances.awaitServing(left)) {
      return Next.NO_INSTANCE;
    }
    Thread.sleep(REFUSED_PAUSE.toMillis());
    return Next.SEND_AGAIN;
  }

  /** How long the request was held. */
  Duration window() {
    return instances.pendingWindow();
  }

  /** About one more start of an instance: the pending window is 3.5 of them. */
  Duration retryAfter() {
    return Duration.ofSeconds(Math.max(1, window().toSeconds() * 2 / 7));
  }

  private static boolean refused(IOException e) {
    return e instanceof ConnectException || e.getCause() instanceof ConnectException;
  }
}
