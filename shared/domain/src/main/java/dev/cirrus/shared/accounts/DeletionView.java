package dev.cirrus.shared.accounts;

import java.time.Instant;

/**
 * A deletion job as {@code DELETE /v1/me}, {@code GET /v1/me/deletion} and the admin's {@code
 * :delete} show it.
 *
 * @param status {@code running} or {@code done}
 * @param phase what it deletes next ({@code uploads}, {@code files}, ... {@code identity}), or
 *     {@code done}
 */
public record DeletionView(
    String uid,
    String status,
    String phase,
    String requestedBy,
    Instant requestedAt,
    Instant updatedAt,
    Instant finishedAt,
    AccountDeletion.Erased erased) {

  public static DeletionView of(AccountDeletion job) {
    return new DeletionView(
        job.uid(),
        job.isDone() ? "done" : "running",
        job.phase().wireName(),
        job.requestedBy(),
        job.requestedAt(),
        job.updatedAt(),
        job.finishedAt().orElse(null),
        job.erased());
  }
}
