package dev.cirrus.local.storage.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Verifies Cloud Storage V4 signed URLs (query-string authentication with GOOG4-RSA-SHA256) against
 * the keys of trusted service accounts, and answers faults as the real service does. Unlike
 * fake-gcs-server and storage-testbench, a tampered, expired or foreign signature is refused, so
 * code that builds signed URLs is tested for real.
 */
public final class V4SignatureVerifier {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  private static final Pattern CREDENTIAL =
      Pattern.compile("^([^/]+)/(\\d{8})/([^/]+)/storage/goog4_request$");
  private static final Duration MAX_EXPIRY = Duration.ofDays(7);
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(15);

  private final TrustedKeys keys;
  private final Clock clock;

  public V4SignatureVerifier(TrustedKeys keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  /** True when the request carries query-string V4 authentication at all. */
  public static boolean isSigned(String rawQuery) {
    return QueryString.first(rawQuery, "X-Goog-Algorithm").isPresent()
        || QueryString.first(rawQuery, V4Canonicalizer.SIGNATURE_PARAM).isPresent();
  }

  /**
   * @return the e-mail of the service account that signed the request
   * @throws SignatureException when it is malformed (400), expired (400) or does not verify (403)
   */
  public String verify(SignedRequest request) throws SignatureException {
    String query = request.rawQuery();
    String algorithm;
    String credential;
    String timestamp;
    String expires;
    String signedHeaders;
    String signatureHex;
    try {
      algorithm = required(query, "X-Goog-Algorithm");
      credential = required(query, "X-Goog-Credential");
      timestamp = required(query, "X-Goog-Date");
      expires = required(query, "X-Goog-Expires");
      signedHeaders = required(query, "X-Goog-SignedHeaders");
      signatureHex = required(query, V4Canonicalizer.SIGNATURE_PARAM);
    } catch (IllegalArgumentException e) {
      throw SignatureException.malformed("the query string is not valid percent-encoding");
    }
    if (algorithm == null
        || credential == null
        || timestamp == null
        || expires == null
        || signedHeaders == null
        || signatureHex == null) {
      throw SignatureException.malformed(
          "X-Goog-Algorithm, X-Goog-Credential, X-Goog-Date, X-Goog-Expires,"
              + " X-Goog-SignedHeaders and X-Goog-Signature are all required");
    }
    if (!algorithm.equals("GOOG4-RSA-SHA256")) {
      throw SignatureException.malformed("X-Goog-Algorithm must be GOOG4-RSA-SHA256");
    }
    Matcher scope = CREDENTIAL.matcher(credential);
    if (!scope.matches() || !timestamp.startsWith(scope.group(2))) {
      throw SignatureException.malformed("X-Goog-Credential does not match X-Goog-Date");
    }
    Instant signedAt;
    long lifetime;
    try {
      signedAt = LocalDateTime.parse(timestamp, TIMESTAMP).toInstant(ZoneOffset.UTC);
      lifetime = Long.parseLong(expires);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw SignatureException.malformed("X-Goog-Date or X-Goog-Expires is malformed");
    }
    if (lifetime < 1 || lifetime > MAX_EXPIRY.getSeconds()) {
      throw SignatureException.malformed("X-Goog-Expires must be 1 to 604800 seconds");
    }
    Instant now = clock.instant();
    if (now.isAfter(signedAt.plusSeconds(lifetime))) {
      throw SignatureException.expired("Invalid argument: the signed URL has expired");
    }
    if (signedAt.isAfter(now.plus(CLOCK_SKEW))) {
      throw SignatureException.malformed("X-Goog-Date is in the future");
    }
    List<String> headers = List.of(signedHeaders.split(";"));
    if (!headers.contains("host") || !headers.equals(headers.stream().sorted().toList())) {
      throw SignatureException.malformed("X-Goog-SignedHeaders must be sorted and include host");
    }
    String email = scope.group(1);
    String credentialScope = credential.substring(email.length() + 1);
    PublicKey key =
        keys.key(email)
            .orElseThrow(
                () ->
                    SignatureException.mismatch(
                        "the signing account " + email + " is not trusted by this emulator"));
    for (SignedRequest variant : V4Canonicalizer.variants(request)) {
      String stringToSign =
          V4Canonicalizer.stringToSign(
              timestamp, credentialScope, V4Canonicalizer.canonicalRequest(variant, headers));
      if (verifies(key, stringToSign, signatureHex)) {
        return email;
      }
    }
    throw SignatureException.mismatch(
        "The request signature we calculated does not match the signature you provided."
            + " StringToSign: "
            + V4Canonicalizer.stringToSign(
                timestamp, credentialScope, V4Canonicalizer.canonicalRequest(request, headers)));
  }

  private static boolean verifies(PublicKey key, String stringToSign, String signatureHex) {
    try {
      byte[] signature = HexFormat.of().parseHex(signatureHex);
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(key);
      rsa.update(stringToSign.getBytes(StandardCharsets.UTF_8));
      return rsa.verify(signature);
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return false;
    }
  }

  /** The parameter's value, or null; throws IllegalArgumentException on bad encoding. */
  private static String required(String query, String name) {
    return QueryString.first(query, name).orElse(null);
  }
}
