package dev.cirrus.shared.appcheck;

import java.time.Instant;

/**
 * A verified App Check token: which of the project's apps sent the request.
 *
 * @param appId the Firebase app id (the token's {@code sub})
 */
public record AppCheckToken(String appId, Instant expiresAt) {}
