package dev.cirrus.shared.appcheck;

import dev.cirrus.shared.config.AppCheckMode;
import dev.cirrus.shared.config.AppCheckPolicy;
import dev.cirrus.shared.config.RouteClass;
import dev.cirrus.shared.error.Unauthenticated;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The App Check rule of the front door: per route class, no check, a check that only reports, or a
 * check that refuses. It runs before the caller's ID token is verified and before any Firestore or
 * Cloud Storage work.
 */
public final class AppCheckGate {
  /** What the gate saw on one request. */
  public enum Outcome {
    /** The class is off: the header was not read. */
    SKIPPED,
    VALID,
    MISSING,
    INVALID
  }

  /** One request's result: let through with this outcome (refusals are thrown). */
  public record Verdict(Outcome outcome, Optional<AppCheckToken> token, String detail) {}

  private final AppCheckPolicy policy;
  private final AppCheckVerifier verifier;
  private final Map<Outcome, AtomicLong> counts = new EnumMap<>(Outcome.class);

  public AppCheckGate(AppCheckPolicy policy, AppCheckVerifier verifier) {
    this.policy = policy;
    this.verifier = verifier;
    for (Outcome o : Outcome.values()) {
      counts.put(o, new AtomicLong());
    }
  }

  /** A gate with every class off: for composition roots and tests that have no App Check. */
  public static AppCheckGate off() {
    return new AppCheckGate(
        AppCheckPolicy.OFF,
        token -> {
          throw new IllegalStateException("App Check is off: no token is verified");
        });
  }

  /**
   * @param header the {@code X-Firebase-AppCheck} header, if sent
   * @throws Unauthenticated {@code app-check-failed} when the class enforces and the token is
   *     missing or invalid
   */
  public Verdict check(RouteClass routeClass, Optional<String> header) {
    AppCheckMode mode = policy.mode(routeClass);
    if (mode == AppCheckMode.OFF) {
      return count(new Verdict(Outcome.SKIPPED, Optional.empty(), "off"));
    }
    Optional<String> token = header.map(String::trim).filter(t -> !t.isEmpty());
    Verdict verdict;
    if (token.isEmpty()) {
      verdict = new Verdict(Outcome.MISSING, Optional.empty(), "no X-Firebase-AppCheck token");
    } else {
      try {
        verdict = new Verdict(Outcome.VALID, Optional.of(verifier.verify(token.get())), "valid");
      } catch (Unauthenticated e) {
        verdict = new Verdict(Outcome.INVALID, Optional.empty(), e.detail());
      }
    }
    count(verdict);
    if (mode == AppCheckMode.ENFORCE && verdict.outcome() != Outcome.VALID) {
      throw new Unauthenticated(
          "app-check-failed", "App Check refused this request: " + verdict.detail());
    }
    return verdict;
  }

  /** How many requests ended each way since the instance started, for logs and tests. */
  public long count(Outcome outcome) {
    return counts.get(outcome).get();
  }

  private Verdict count(Verdict verdict) {
    counts.get(verdict.outcome()).incrementAndGet();
    return verdict;
  }
}
