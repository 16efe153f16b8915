package dev.cirrus.shared.uploads;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An upload's id: 1-64 letters, digits, {@code -} or {@code _}, so it is safe as a Firestore
 * document id and in an object name. Ids from a request are parsed here, at the edge.
 */
public record UploadId(String value) {
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  public UploadId {
    if (value == null || !SHAPE.matcher(value).matches()) {
      throw new IllegalArgumentException("not an upload id: " + value);
    }
  }

  /** The id a request names, if it has the shape of one. */
  public static Optional<UploadId> parse(String raw) {
    return raw != null && SHAPE.matcher(raw).matches()
        ? Optional.of(new UploadId(raw))
        : Optional.empty();
  }

  @Override
  public String toString() {
    return value;
  }
}
