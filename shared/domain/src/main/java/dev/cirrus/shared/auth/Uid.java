package dev.cirrus.shared.auth;

/**
 * A Firebase user id as Cirrus stores it: 1-128 characters (Firebase's limit), and usable as a
 * Firestore document id and in an object name: no {@code /}, not {@code .} or {@code ..}, not
 * Firestore's reserved {@code __...__}, no control characters.
 */
public record Uid(String value) {
  public Uid {
    if (value == null
        || value.isBlank()
        || value.length() > 128
        || value.contains("/")
        || value.equals(".")
        || value.equals("..")
        || (value.startsWith("__") && value.endsWith("__"))
        || value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("not a user id: " + value);
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
