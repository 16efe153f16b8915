package dev.cirrus.shared.uploads;

import dev.cirrus.shared.error.BadRequest;
import dev.cirrus.shared.ids.Sha256;
import java.util.Optional;

/**
 * A client's {@code Idempotency-Key} for {@code POST /v1/uploads}: a retry with the same key (after
 * a timeout, a dropped connection, a 502 from an instance that died) answers the session the first
 * request made, instead of a second one that would sit pending for a day and count towards the
 * owner's uploads in flight. Visible ASCII, 1 to 255 characters, as the IETF draft's header and
 * Stripe's keys; a UUID per upload is what a client sends.
 */
public record IdempotencyKey(String value) {
  public static final String HEADER = "Idempotency-Key";

  public IdempotencyKey {
    if (!value.matches("[\\x21-\\x7e]{1,255}")) {
      throw BadRequest.invalidParameter(
          HEADER, "must be 1 to 255 visible ASCII characters, such as a UUID");
    }
  }

  /** The header as a request has it, if it has it. */
  public static Optional<IdempotencyKey> of(Optional<String> header) {
    return header.map(IdempotencyKey::new);
  }

  /**
   * The id of the upload this key of this owner creates: derived, so every retry lands on the same
   * document, and one owner's key never names another's upload.
   */
  public UploadId uploadId(String ownerUid) {
    return new UploadId("k-" + Sha256.base64Url(ownerUid + "\n" + value));
  }
}
