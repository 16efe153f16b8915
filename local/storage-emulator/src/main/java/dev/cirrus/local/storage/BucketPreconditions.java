package dev.cirrus.local.storage;

import java.util.OptionalLong;

/** A bucket request's {@code ifMetagenerationMatch} and {@code ifMetagenerationNotMatch}. */
public record BucketPreconditions(
    OptionalLong ifMetagenerationMatch, OptionalLong ifMetagenerationNotMatch) {
  public static final BucketPreconditions NONE =
      new BucketPreconditions(OptionalLong.empty(), OptionalLong.empty());

  /**
   * @throws StorageError 412 when the bucket's metageneration does not satisfy them
   */
  void check(BucketMeta bucket) {
    long metageneration = bucket.metageneration();
    if ((ifMetagenerationMatch.isPresent() && ifMetagenerationMatch.getAsLong() != metageneration)
        || (ifMetagenerationNotMatch.isPresent()
            && ifMetagenerationNotMatch.getAsLong() == metageneration)) {
      throw StorageError.preconditionFailed(
          "At least one of the pre-conditions you specified did not hold.");
    }
  }
}
