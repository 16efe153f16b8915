package dev.cirrus.shared.paging;

import dev.cirrus.shared.error.BadRequest;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A position in a newest-first listing: creation time, then id, the order every Cirrus list uses.
 * Clients see it as an opaque {@code pageToken}.
 */
public record Cursor(Instant createdAt, String id) {

  /** The {@code nextPageToken} clients send back as {@code pageToken}. */
  public String token() {
    String raw = createdAt.getEpochSecond() + "." + createdAt.getNano() + "." + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads a {@code pageToken}; a token this API did not give out is the client's error.
   *
   * @param validId what ids of this listing look like
   */
  public static Cursor fromToken(String token, Predicate<String> validId) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      String[] parts = raw.split("\\.", 3);
      if (parts.length == 3 && validId.test(parts[2])) {
        return new Cursor(
            Instant.ofEpochSecond(Long.parseLong(parts[0]), Integer.parseInt(parts[1])), parts[2]);
      }
    } catch (IllegalArgumentException | DateTimeException e) {
      // reported below
    }
    throw BadRequest.invalidParameter("pageToken", "is not a token this API gave out");
  }

  /**
   * The cursor after a page cut from {@code fetched}, which holds up to one item more than {@code
   * pageSize}: that one, if there, only says another page follows.
   */
  public static <T> Optional<Cursor> after(
      List<T> fetched, int pageSize, Function<T, Instant> createdAt, Function<T, String> id) {
    if (fetched.size() <= pageSize) {
      return Optional.empty();
    }
    T last = fetched.get(pageSize - 1);
    return Optional.of(new Cursor(createdAt.apply(last), id.apply(last)));
  }

  /** A {@code pageSize} parameter: absent gives {@code defaultSize}, else 1 to {@code max}. */
  public static int pageSize(Optional<String> raw, int defaultSize, int max) {
    if (raw.isEmpty()) {
      return defaultSize;
    }
    try {
      int size = Integer.parseInt(raw.get());
      if (size >= 1 && size <= max) {
        return size;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw BadRequest.invalidParameter("pageSize", "must be a whole number from 1 to " + max);
  }
}
