package dev.cirrus.shared.users;

import dev.cirrus.shared.error.BadRequest;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A user's preferences. {@code mutedTypes} are notification types (such as {@code file.ready}) the
 * user does not want pushed; kept sorted and without duplicates.
 */
public record Settings(List<String> mutedTypes) {
  public static final int MAX_MUTED_TYPES = 32;
  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z0-9_-]+){0,4}");

  public static final Settings DEFAULT = new Settings(List.of());

  public Settings {
    if (mutedTypes == null) {
      throw BadRequest.invalidField("mutedTypes", "is required (use [] for none)");
    }
    if (mutedTypes.size() > MAX_MUTED_TYPES) {
      throw BadRequest.invalidField(
          "mutedTypes", "may hold at most " + MAX_MUTED_TYPES + " notification types");
    }
    TreeSet<String> unique = new TreeSet<>();
    for (int i = 0; i < mutedTypes.size(); i++) {
      String type = mutedTypes.get(i);
      if (type == null || type.length() > 64 || !TYPE.matcher(type).matches()) {
        throw BadRequest.invalidField(
            "mutedTypes[" + i + "]", "must be a notification type such as 'file.ready'");
      }
      unique.add(type);
    }
    mutedTypes = List.copyOf(unique);
  }
}
