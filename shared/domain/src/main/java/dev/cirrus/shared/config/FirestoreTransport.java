package dev.cirrus.shared.config;

import java.util.Locale;

/**
 * How the Firestore client reaches Firestore. Both carry the same high-level API; REST starts
 * faster (no gRPC or Netty to load), gRPC alone has snapshot listeners.
 */
public enum FirestoreTransport {
  REST,
  GRPC;

  /**
   * @throws ConfigException for anything but {@code rest} or {@code grpc}
   */
  static FirestoreTransport parse(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "rest" -> REST;
      case "grpc" -> GRPC;
      default ->
          throw new ConfigException(
              "CIRRUS_FIRESTORE_TRANSPORT must be rest or grpc, got: " + value);
    };
  }
}
