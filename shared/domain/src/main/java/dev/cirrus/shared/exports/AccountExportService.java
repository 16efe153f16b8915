package dev.cirrus.shared.exports;

import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.error.Conflict;
import dev.cirrus.shared.error.NotFound;
import dev.cirrus.shared.events.EventBus;
import dev.cirrus.shared.events.MessageCodec;
import dev.cirrus.shared.events.Topics;
import dev.cirrus.shared.storage.ObjectRef;
import dev.cirrus.shared.storage.ObjectStorage;
import dev.cirrus.shared.storage.SignedUrl;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Asking for one's data ({@code POST /v1/me:export}) and fetching it ({@code GET /v1/me/export}). A
 * request while an export is being built, or within {@link AccountExport#REUSE} of the last one,
 * answers with that one (and kicks it, so asking again re-drives one that stalled); otherwise it
 * replaces it, and the new job deletes the older archive when it is done.
 */
public final class AccountExportService {
  /** How long a download URL is valid: long enough to start a large download. */
  public static final Duration URL_TTL = Duration.ofHours(1);

  private final AccountExports exports;
  private final ObjectStorage storage;
  private final EventBus events;
  private final MessageCodec messages;
  private final String filesBucket;
  private final Clock clock;
  private final RandomGenerator random;

  public AccountExportService(
      AccountExports exports,
      ObjectStorage storage,
      EventBus events,
      MessageCodec messages,
      String filesBucket,
      Clock clock) {
    this(exports, storage, events, messages, filesBucket, clock, new SecureRandom());
  }

  AccountExportService(
      AccountExports exports,
      ObjectStorage storage,
      EventBus events,
      MessageCodec messages,
      String filesBucket,
      Clock clock,
      RandomGenerator random) {
    this.exports = exports;
    this.storage = storage;
    this.events = events;
    this.messages = messages;
    this.filesBucket = filesBucket;
    this.clock = clock;
    this.random = random;
  }

  /** {@code POST /v1/me:export}. */
  public ExportView request(Principal caller) {
    String uid = caller.uid();
    Instant now = clock.instant();
    String id = newId(now);
    AccountExport job =
        exports
            .start(
                uid,
                current ->
                    current
                        .filter(existing -> existing.answersRequestAt(now))
                        .orElseGet(() -> AccountExport.requested(uid, id, now)))
            .orElseThrow(
                () ->
                    new Conflict(
                        "account-deleting",
                        "this account is being deleted; GET /v1/me/deletion says how far"));
    if (job.isRunning()) {
      kick(job);
    }
    return view(job);
  }

  /** {@code GET /v1/me/export}: with a signed URL while the archive is there. */
  public ExportView own(Principal caller) {
    return exports
        .find(caller.uid())
        .map(this::view)
        .orElseThrow(
            () -> new NotFound("no-export", "no export was asked for; POST /v1/me:export"));
  }

  /** For the sweeper: running jobs whose messages stopped. */
  public List<AccountExport> stalled(Instant before, int limit) {
    return exports.stalled(before, limit);
  }

  /** For the sweeper: deletes the archives past their retention. */
  public int expire(int limit) {
    Instant now = clock.instant();
    int expired = 0;
    for (AccountExport job : exports.expired(now, limit)) {
      storage.delete(archive(job));
      if (exports.advance(job, job.at(AccountExport.Phase.EXPIRED, now)).isPresent()) {
        expired++;
      }
    }
    return expired;
  }

  /** Publishes the job's next step. */
  public void kick(AccountExport job) {
    kick(job.uid(), job.id());
  }

  /** Publishes the next step of the export {@code id} of the user. */
  public void kick(String uid, String id) {
    events.publish(Topics.ACCOUNT_EXPORTS, Map.of("uid", uid), messages.accountExport(uid, id));
  }

  private ExportView view(AccountExport job) {
    Optional<SignedUrl> url = Optional.empty();
    if (job.hasArchive()) {
      String day = LocalDate.ofInstant(job.requestedAt(), ZoneOffset.UTC).toString();
      url =
          Optional.of(
              storage.signedDownload(
                  archive(job),
                  URL_TTL,
                  Optional.of("attachment; filename=\"cirrus-export-" + day + ".tar\"")));
    }
    return ExportView.of(job, url);
  }

  private ObjectRef archive(AccountExport job) {
    return new ObjectRef(filesBucket, ExportArchive.archive(job.uid(), job.id()));
  }

  /** Ids sort by request time (what the clean-up relies on), then 40 random bits. */
  private String newId(Instant now) {
    return String.format(
        Locale.ROOT, "%012x%010x", now.toEpochMilli(), random.nextLong() & 0xffffffffffL);
  }
}
