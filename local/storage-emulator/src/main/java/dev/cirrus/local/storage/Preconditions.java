package dev.cirrus.local.storage;

import java.util.OptionalLong;

/**
 * The {@code if*} query parameters of a request. {@code ifGenerationMatch=0} means "only if there
 * is no live object".
 */
public record Preconditions(
    OptionalLong ifGenerationMatch,
    OptionalLong ifGenerationNotMatch,
    OptionalLong ifMetagenerationMatch,
    OptionalLong ifMetagenerationNotMatch) {
  public static final Preconditions NONE =
      new Preconditions(
          OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());

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
