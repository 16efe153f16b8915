package dev.cirrus.local.emulators;

/** FCM's errors, with the status and body FCM answers them with ({@link FcmFake}). */
public enum FcmError {
  /** The app was uninstalled or the token expired: 404 UNREGISTERED. */
  UNREGISTERED(404, "NOT_FOUND", "Requested entity was not found."),
  /** Not a token FCM ever issued: 400 INVALID_ARGUMENT naming {@code message.token}. */
  INVALID_TOKEN(
      400, "INVALID_ARGUMENT", "The registration token is not a valid FCM registration token"),
  /** FCM is overloaded: 503, which the Admin SDK itself retries before giving up. */
  UNAVAILABLE(503, "UNAVAILABLE", "The service is currently unavailable."),
  /** Too many messages to the device or project: 429 QUOTA_EXCEEDED. */
  QUOTA_EXCEEDED(429, "RESOURCE_EXHAUSTED", "Message rate exceeded for this device.");

  final int status;
  final String grpcStatus;
  final String message;

  FcmError(int status, String grpcStatus, String message) {
    this.status = status;
    this.grpcStatus = grpcStatus;
    this.message = message;
  }

  String errorCode() {
    return this == INVALID_TOKEN ? "INVALID_ARGUMENT" : name();
  }
}
