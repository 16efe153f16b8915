package dev.cirrus.local.storage;

import java.time.Instant;

/** A bucket as the emulator keeps it. */
public record BucketMeta(String name, Instant timeCreated, long metageneration) {}
