package dev.cirrus.local.storage;

import java.util.OptionalLong;

/**
 * The generation a request addresses ({@code generation}, or {@code sourceGeneration} for a copy's
 * source) and its {@code if*} query parameters. {@code ifGenerationMatch=0} means "only if there is
 * no live object".
 */
public record Preconditions(
    OptionalLong generation,
    OptionalLong ifGenerationMatch,
    OptionalLong ifGenerationNotMatch,
    OptionalLong ifMetagenerationMatch,
    OptionalLong ifMetagenerationNotMatch) {
  public static final Preconditions NONE =
      new Preconditions(
          OptionalLong.empty(),
          OptionalLong.empty(),
          OptionalLong.empty(),
          OptionalLong.empty(),
          OptionalLong.empty());

  /** Only the generation a request addresses, with no condition. */
  public static Preconditions generation(OptionalLong generation) {
    return new Preconditions(
        generation,
        OptionalLong.empty(),
        OptionalLong.empty(),
        OptionalLong.empty(),
        OptionalLong.empty());
  }

  /**
   * Whether {@code live} is the generation the request addresses. Buckets here keep no noncurrent
   * versions, so any other generation does not exist.
   */
  boolean selects(ObjectMeta live) {
    return generation.isEmpty() || generation.getAsLong() == live.generation();
  }

  /**
   * @throws StorageError 412 when {@code current} (null when absent) does not satisfy them
   */
  void check(ObjectMeta current) {
    long generation = current == null ? 0 : current.generation();
    if (ifGenerationMatch.isPresent() && ifGenerationMatch.getAsLong() != generation) {
      throw StorageError.preconditionFailed(
          "At least one of the pre-conditions you specified did not hold.");
    }
    if (ifGenerationNotMatch.isPresent() && ifGenerationNotMatch.getAsLong() == generation) {
      throw StorageError.preconditionFailed(
          "At least one of the pre-conditions you specified did not hold.");
    }
    if (current == null
        && (ifMetagenerationMatch.isPresent() || ifMetagenerationNotMatch.isPresent())) {
      throw StorageError.preconditionFailed(
          "At least one of the pre-conditions you specified did not hold.");
    }
    if (current != null
        && ifMetagenerationMatch.isPresent()
        && ifMetagenerationMatch.getAsLong() != current.metageneration()) {
      throw StorageError.preconditionFailed(
          "At least one of the pre-conditions you specified did not hold.");
    }
    if (current != null
        && ifMetagenerationNotMatch.isPresent()
        && ifMetagenerationNotMatch.getAsLong() == current.metageneration()) {
      throw StorageError.preconditionFailed(
          "At least one of the pre-conditions you specified did not hold.");
    }
  }
}
