package dev.cirrus.shared.exports;

import dev.cirrus.shared.storage.SignedUrl;
import java.time.Instant;
import java.util.Optional;

/**
 * An export job as {@code POST /v1/me:export} and {@code GET /v1/me/export} show it.
 *
 * @param status {@code building}, {@code ready} or {@code expired}
 * @param url where to download the archive, while ready; signed, valid until {@code urlExpiresAt}
 */
public record ExportView(
    String id,
    String status,
    String phase,
    Instant requestedAt,
    Instant updatedAt,
    Instant readyAt,
    Instant expiresAt,
    long files,
    long size,
    String url,
    Instant urlExpiresAt) {

  public static ExportView of(AccountExport job, Optional<SignedUrl> download) {
    String status = job.isBuilding() ? "building" : job.hasArchive() ? "ready" : "expired";
    return new ExportView(
        job.id(),
        status,
        job.phase().wireName(),
        job.requestedAt(),
        job.updatedAt(),
        job.readyAt().orElse(null),
        job.expiresAt().orElse(null),
        job.files(),
        job.archiveSize(),
        download.map(d -> d.url().toString()).orElse(null),
        download.map(SignedUrl::expiresAt).orElse(null));
  }
}
