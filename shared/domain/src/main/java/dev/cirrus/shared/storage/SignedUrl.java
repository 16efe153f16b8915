package dev.cirrus.shared.storage;

import java.net.URI;
import java.time.Instant;

/** A URL anyone holding it may use until {@code expiresAt}. */
public record SignedUrl(URI url, Instant expiresAt) {}
