package dev.cirrus.shared.exports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.shared.accounts.AccountDeletions;
import dev.cirrus.shared.exports.AccountExport.Phase;
import dev.cirrus.shared.paging.Cursor;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link AccountExports} adapter must have; one subclass per adapter. */
public abstract class AccountExportsContract {
  protected final Instant t0 = Instant.parse("2026-12-04T10:00:00Z");

  protected abstract AccountExports exports();

  /** The deletion jobs of the same database. */
  protected abstract AccountDeletions deletions();

  private static String uid() {
    return "exp-" + UUID.randomUUID();
  }

  private static String id() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 22);
  }

  @Test
  void aStartKeepsWhatTheDecisionChoseAndReadsItBackWhole() {
    String uid = uid();
    AccountExport fresh = AccountExport.requested(uid, id(), t0);
    assertThat(exports().start(uid, current -> fresh)).contains(fresh);
    assertThat(exports().find(uid)).contains(fresh);

    AccountExport packed =
        fresh.packed(new Cursor(t0.minusSeconds(60), "file-9"), 3, 3000, t0.plusSeconds(1));
    assertThat(exports().advance(fresh, packed)).contains(packed);
    AccountExport assembling = packed.at(Phase.ASSEMBLE, t0.plusSeconds(2));
    assertThat(exports().advance(packed, assembling)).contains(assembling);
    AccountExport ready = assembling.assembled(5120, t0.plusSeconds(3));
    assertThat(exports().advance(assembling, ready)).contains(ready);
    assertThat(exports().find(uid)).contains(ready);
    assertThat(ready.hasArchive()).isTrue();
    assertThat(ready.expiresAt()).contains(t0.plusSeconds(3).plus(AccountExport.RETENTION));
  }

  @Test
  void aSecondStartSeesTheFirstJob() {
    String uid = uid();
    AccountExport first = AccountExport.requested(uid, id(), t0);
    exports().start(uid, current -> first);
    AccountExport second = AccountExport.requested(uid, id(), t0.plusSeconds(5));
    Optional<AccountExport> kept = exports().start(uid, current -> current.orElse(second));
    assertThat(kept).contains(first);
    assertThat(exports().find(uid)).contains(first);
  }

  @Test
  void noExportStartsOnceTheAccountIsBeingDeleted() {
    String uid = uid();
    deletions().start(uid, "self", t0);
    assertThat(exports().start(uid, current -> AccountExport.requested(uid, id(), t0))).isEmpty();
    assertThat(exports().find(uid)).isEmpty();
  }

  @Test
  void aStepMovesTheJobOnlyFromWhereItFoundIt() {
    String uid = uid();
    AccountExport job = AccountExport.requested(uid, id(), t0);
    exports().start(uid, current -> job);
    AccountExport data = job.at(Phase.DATA, t0.plusSeconds(1));
    assertThat(exports().advance(job, data)).contains(data);
    assertThat(exports().advance(job, job.at(Phase.ASSEMBLE, t0.plusSeconds(2))))
        .as("a duplicate of the first step")
        .isEmpty();

    AccountExport replacement = AccountExport.requested(uid, id(), t0.plusSeconds(3));
    exports().start(uid, current -> replacement);
    assertThat(exports().advance(data, data.at(Phase.ASSEMBLE, t0.plusSeconds(4))))
        .as("a step of the replaced job")
        .isEmpty();

    exports().remove(uid);
    assertThat(exports().find(uid)).isEmpty();
    assertThat(exports().advance(replacement, replacement.at(Phase.DATA, t0.plusSeconds(5))))
        .as("a step of a removed job")
        .isEmpty();
  }

  @Test
  void stalledJobsAreRunningOnesNotMovedSinceTheTime() {
    String uid = uid();
    Instant old = t0.minus(Duration.ofDays(400));
    AccountExport job = AccountExport.requested(uid, id(), old);
    exports().start(uid, current -> job);
    assertThat(exports().stalled(old.plusSeconds(1), 1000)).extracting("uid").contains(uid);
    assertThat(exports().stalled(old, 1000)).extracting("uid").doesNotContain(uid);

    AccountExport done =
        job.assembled(100, old.plusSeconds(10)).at(Phase.DONE, old.plusSeconds(11));
    exports().start(uid, current -> done);
    assertThat(exports().stalled(old.plusSeconds(60), 1000)).extracting("uid").doesNotContain(uid);
  }

  @Test
  void expiredJobsAreThosePastTheirRetentionUntilMarkedExpired() {
    String uid = uid();
    Instant old = t0.minus(Duration.ofDays(500));
    AccountExport done =
        AccountExport.requested(uid, id(), old)
            .assembled(100, old.plusSeconds(10))
            .at(Phase.DONE, old.plusSeconds(11));
    exports().start(uid, current -> done);
    Instant expiry = done.expiresAt().orElseThrow();
    assertThat(exports().expired(expiry.minusSeconds(1), 1000))
        .extracting("uid")
        .doesNotContain(uid);
    assertThat(exports().expired(expiry.plusSeconds(1), 1000)).extracting("uid").contains(uid);

    AccountExport expired = done.at(Phase.EXPIRED, expiry.plusSeconds(2));
    assertThat(expired.expiresAt()).isEmpty();
    assertThat(exports().advance(done, expired)).contains(expired);
    assertThat(exports().expired(expiry.plusSeconds(60), 1000))
        .extracting("uid")
        .doesNotContain(uid);
  }
}
