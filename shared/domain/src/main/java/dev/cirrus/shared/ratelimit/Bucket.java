package dev.cirrus.shared.ratelimit;

import dev.cirrus.shared.config.RateBudget;

/** One token bucket: where it is kept and how much it holds. */
public record Bucket(String key, RateBudget budget) {}
