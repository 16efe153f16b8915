package dev.cirrus.local.storage.signing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds the canonical request and the string to sign of Cloud Storage's V4 signing process
 * (GOOG4-RSA-SHA256), from a request as it arrived. Checked against Google's official vectors.
 */
public final class V4Canonicalizer {
  static final String SIGNATURE_PARAM = "X-Goog-Signature";
  private static final Pattern WHITESPACE = Pattern.compile("[ \\t]+");

  private V4Canonicalizer() {}

  /**
   * @param signedHeaders the lower-case names from {@code X-Goog-SignedHeaders}, in its order
   */
  public static String canonicalRequest(SignedRequest request, List<String> signedHeaders) {
    StringBuilder headers = new StringBuilder();
    for (String name : signedHeaders) {
      List<String> values = request.header(name);
      List<String> normalised = new ArrayList<>();
      for (String value : values) {
        normalised.add(WHITESPACE.matcher(value.strip()).replaceAll(" "));
      }
      headers.append(name).append(':').append(String.join(",", normalised)).append('\n');
    }
    String payload = request.firstHeader("x-goog-content-sha256").orElse("UNSIGNED-PAYLOAD");
    return request.method()
        + "\n"
        + request.rawPath()
        + "\n"
        + canonicalQuery(request.rawQuery())
        + "\n"
        + headers
        + "\n"
        + String.join(";", signedHeaders)
        + "\n"
        + payload;
  }

  /**
   * The forms a legitimate signer may have signed this request in: as it arrived, and with the
   * {@code host} header without its port, which is how Google's client libraries sign for a
   * non-default endpoint (their vectors show it). Both name the same resource, so accepting either
   * weakens nothing.
   */
  public static List<SignedRequest> variants(SignedRequest request) {
    List<SignedRequest> variants = new ArrayList<>();
    variants.add(request);
    String host = request.firstHeader("host").orElse("");
    int colon = host.lastIndexOf(':');
    if (colon > 0 && host.indexOf(']') < colon) {
      variants.add(withHost(request, host.substring(0, colon)));
    }
    return variants;
  }

  private static SignedRequest withHost(SignedRequest request, String host) {
    Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
    headers.put("host", List.of(host));
    return new SignedRequest(request.method(), request.rawPath(), request.rawQuery(), headers);
  }

  public static String stringToSign(String timestamp, String scope, String canonicalRequest) {
    return "GOOG4-RSA-SHA256\n" + timestamp + "\n" + scope + "\n" + sha256Hex(canonicalRequest);
  }

  /** Every parameter but the signature, decoded, re-encoded strictly and sorted. */
  static String canonicalQuery(String rawQuery) {
    List<String[]> pairs = new ArrayList<>();
    for (Map.Entry<String, String> p : QueryString.parse(rawQuery)) {
      if (!p.getKey().equals(SIGNATURE_PARAM)) {
        pairs.add(new String[] {encode(p.getKey()), encode(p.getValue())});
      }
    }
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    List<String> joined = new ArrayList<>();
    for (String[] p : pairs) {
      joined.add(p[0] + "=" + p[1]);
    }
    return String.join("&", joined);
  }

  /** RFC 3986 percent-encoding: everything but unreserved characters, upper-case hex. */
  static String encode(String value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.write(c);
      } else {
        out.writeBytes(String.format("%%%02X", c).getBytes(StandardCharsets.US_ASCII));
      }
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

  static String sha256Hex(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
