package dev.cirrus.shared.uploads;

import java.time.Instant;

/** {@code POST /v1/uploads} answer: where and how to send the bytes. */
public record UploadCreated(
    String uploadId, String uploadUrl, String method, Instant expiresAt, long maxBytes) {}
