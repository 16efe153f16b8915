package dev.cirrus.shared.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an upload may be, each figure overridable by one environment variable.
 *
 * @param allowedTypes media types accepted ({@code CIRRUS_ALLOWED_TYPES}, comma-separated)
 * @param maxUploadBytes largest file accepted ({@code CIRRUS_MAX_UPLOAD_BYTES})
 * @param maxPendingUploads uploads a user may have in flight ({@code CIRRUS_MAX_PENDING_UPLOADS})
 * @param maxImagePixels images declaring more pixels are refused before decoding ({@code
 *     CIRRUS_MAX_IMAGE_PIXELS})
 * @param sessionTtl how long an upload session may stay open ({@code CIRRUS_UPLOAD_TTL_SECONDS})
 * @param claimLease how long a processing attempt owns an event before another may take it over
 *     ({@code CIRRUS_CLAIM_LEASE_SECONDS})
 */
public record UploadPolicy(
    Set<String> allowedTypes,
    long maxUploadBytes,
    int maxPendingUploads,
    long maxImagePixels,
    Duration sessionTtl,
    Duration claimLease) {

  public static final Set<String> DEFAULT_TYPES =
      Set.of(
          "image/jpeg",
          "image/png",
          "image/webp",
          "image/gif",
          "image/heic",
          "application/pdf",
          "text/plain",
          "video/mp4");

  public static final UploadPolicy DEFAULTS =
      new UploadPolicy(
          DEFAULT_TYPES,
          100L * 1024 * 1024,
          20,
          100_000_000L,
          Duration.ofHours(24),
          Duration.ofSeconds(120));

  public UploadPolicy {
    allowedTypes = Set.copyOf(allowedTypes);
    if (allowedTypes.isEmpty()) {
      throw new ConfigException("CIRRUS_ALLOWED_TYPES must name at least one media type");
    }
    for (String type : allowedTypes) {
      if (!type.matches("[a-z0-9.+-]+/[a-z0-9.+-]+")) {
        throw new ConfigException("CIRRUS_ALLOWED_TYPES has a malformed media type: " + type);
      }
    }
    if (maxUploadBytes < 1) {
      throw new ConfigException("CIRRUS_MAX_UPLOAD_BYTES must be at least 1");
    }
    if (maxPendingUploads < 1) {
      throw new ConfigException("CIRRUS_MAX_PENDING_UPLOADS must be at least 1");
    }
    if (maxImagePixels < 1) {
      throw new ConfigException("CIRRUS_MAX_IMAGE_PIXELS must be at least 1");
    }
    if (sessionTtl.isNegative() || sessionTtl.isZero() || claimLease.isNegative()) {
      throw new ConfigException("upload and claim durations must be positive");
    }
  }

  /**
   * The most pixels a progressive JPEG may have. libjpeg holds a progressive image's coefficients
   * whole while it decodes (about 3 bytes a pixel for 4:2:0 colour), where a baseline JPEG streams:
   * a quarter of the pixel limit keeps the worst case near the streaming one.
   */
  public long maxProgressivePixels() {
    return Math.max(1, maxImagePixels / 4);
  }

  static UploadPolicy fromEnvironment(Map<String, String> env) {
    Set<String> types =
        CirrusConfig.optional(env, "CIRRUS_ALLOWED_TYPES")
            .map(
                v ->
                    Arrays.stream(v.split(","))
                        .map(String::trim)
                        .filter(t -> !t.isEmpty())
                        .map(t -> t.toLowerCase(Locale.ROOT))
                        .collect(Collectors.toCollection(LinkedHashSet::new)))
            .map(Set::<String>copyOf)
            .orElse(DEFAULT_TYPES);
    return new UploadPolicy(
        types,
        Limits.number(env, "CIRRUS_MAX_UPLOAD_BYTES", DEFAULTS.maxUploadBytes()),
        (int) Limits.number(env, "CIRRUS_MAX_PENDING_UPLOADS", DEFAULTS.maxPendingUploads()),
        Limits.number(env, "CIRRUS_MAX_IMAGE_PIXELS", DEFAULTS.maxImagePixels()),
        Duration.ofSeconds(
            Limits.number(env, "CIRRUS_UPLOAD_TTL_SECONDS", DEFAULTS.sessionTtl().toSeconds())),
        Duration.ofSeconds(
            Limits.number(env, "CIRRUS_CLAIM_LEASE_SECONDS", DEFAULTS.claimLease().toSeconds())));
  }
}
