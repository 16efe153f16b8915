package dev.cirrus.local.runner;

import java.time.Duration;

/**
 * What the gateway knows of the instances behind it, as Cloud Run's front end does: whether one is
 * serving, and how long a request may wait for one to start.
 */
interface Instances {
  /** Servers nobody replaces (a test's own): a refused connection is final. */
  Instances UNSUPERVISED =
      new Instances() {
        @Override
        public boolean supervised() {
          return false;
        }

        @Override
        public boolean awaitServing(Duration within) {
          return false;
        }

        @Override
        public Duration pendingWindow() {
          return Duration.ZERO;
        }
      };

  /** True when a dead instance is replaced, so that a request is worth holding. */
  boolean supervised();

  /** Waits until an instance serves, at most {@code within}; false when none did. */
  boolean awaitServing(Duration within) throws InterruptedException;

  /**
   * How long a request pends for an instance before it fails: Cloud Run holds it up to 3.5 times
   * the average instance startup time or 10 s, whichever is greater
   * (https://cloud.google.com/run/docs/about-instance-autoscaling).
   */
  Duration pendingWindow();
}
