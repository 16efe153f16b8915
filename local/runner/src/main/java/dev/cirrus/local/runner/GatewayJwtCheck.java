package dev.cirrus.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * What API Gateway checks of the app's token before it calls a function, for an operation the
 * OpenAPI file secures: a {@code Bearer} JWT in {@code Authorization}, from the provider's issuer,
 * for one of its audiences, not expired and not issued in the future (60 s of clock skew, as
 * ESPv2's {@code jwt_authn} allows). The signature is the one thing checked differently: the
 * gateway verifies RS256 against Google's keys, which this machine cannot fetch, so locally it
 * accepts what the Auth emulator issues, unsigned tokens ({@code alg: none}) and only those. The
 * functions verify every token again, signature and revocation included.
 */
final class GatewayJwtCheck {
  private static final Duration SKEW = Duration.ofSeconds(60);

  /** A refusal, with the message ESPv2 gives for it. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private final String issuer;
  private final List<String> audiences;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();

  GatewayJwtCheck(String issuer, List<String> audiences, Clock clock) {
    this.issuer = issuer;
    this.audiences = List.copyOf(audiences);
    this.clock = clock;
  }

  /**
   * @return the token's claims, exactly as encoded in it (the gateway forwards them)
   * @throws Refused when the gateway would answer 401
   */
  byte[] check(Optional<String> authorization) throws Refused {
    String header = authorization.orElseThrow(() -> new Refused("Jwt is missing"));
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new Refused("Jwt is missing");
    }
    String[] parts = header.substring(7).trim().split("\\.", -1);
    if (parts.length != 3) {
      throw new Refused(
          "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections");
    }
    JsonNode head = decode(parts[0], "Jwt header is an invalid Base64url encoded");
    byte[] payload = bytes(parts[1], "Jwt payload is an invalid Base64url encoded");
    JsonNode claims = parse(payload, "Jwt payload is an invalid JSON");
    if (!"none".equals(head.path("alg").asText()) || !parts[2].isEmpty()) {
      // Only the Auth emulator's tokens can be told genuine here; see the class comment.
      throw new Refused("Jwt verification fails");
    }
    if (!issuer.equals(claims.path("iss").asText())) {
      throw new Refused("Jwt issuer is not configured");
    }
    if (!audienceAllowed(claims.path("aud"))) {
      throw new Refused("Audiences in Jwt are not allowed");
    }
    Instant now = clock.instant();
    if (!claims.path("exp").canConvertToLong()
        || !Instant.ofEpochSecond(claims.path("exp").asLong()).isAfter(now.minus(SKEW))) {
      throw new Refused("Jwt is expired");
    }
    if (!claims.path("iat").canConvertToLong()
        || Instant.ofEpochSecond(claims.path("iat").asLong()).isAfter(now.plus(SKEW))
        || (claims.has("nbf")
            && Instant.ofEpochSecond(claims.path("nbf").asLong()).isAfter(now.plus(SKEW)))) {
      throw new Refused("Jwt not yet valid");
    }
    if (claims.path("sub").asText("").isEmpty()) {
      throw new Refused("Jwt verification fails");
    }
    return payload;
  }

  private boolean audienceAllowed(JsonNode aud) {
    if (aud.isTextual()) {
      return audiences.contains(aud.asText());
    }
    if (aud.isArray()) {
      for (JsonNode a : aud) {
        if (audiences.contains(a.asText())) {
          return true;
        }
      }
    }
    return false;
  }

  private JsonNode decode(String part, String message) throws Refused {
    return parse(bytes(part, message), message);
  }

  private static byte[] bytes(String part, String message) throws Refused {
    try {
      return Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException e) {
      throw new Refused(message);
    }
  }

  private JsonNode parse(byte[] bytes, String message) throws Refused {
    try {
      JsonNode node = json.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new Refused(message);
      }
      return node;
    } catch (IOException e) {
      throw new Refused(message);
    }
  }
}
