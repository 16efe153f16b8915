package dev.cirrus.shared.config;

/** The environment does not describe a configuration the function can safely start with. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
