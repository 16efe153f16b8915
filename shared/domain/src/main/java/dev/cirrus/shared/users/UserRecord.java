package dev.cirrus.shared.users;

import java.time.Instant;
import java.util.Optional;

/** The stored user document {@code users/{uid}}. */
public record UserRecord(
    String uid, Optional<String> email, Settings settings, Quota quota, Instant createdAt) {}
