package dev.cirrus.shared.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.LowLevelHttpRequest;
import com.google.api.client.http.LowLevelHttpResponse;
import com.google.api.client.testing.http.MockHttpTransport;
import com.google.api.client.testing.http.MockLowLevelHttpRequest;
import com.google.api.client.testing.http.MockLowLevelHttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the Admin SDK asks Google while it verifies ID tokens, answered offline: the test
 * certificate ({@code /auth/test-cert.pem}) where Google's token keys are published, and a user
 * record for the revocation check's {@code accounts:lookup}. Give it to {@code
 * FirebaseOptions.setHttpTransport}; sign tokens with {@link #signingKey()} and {@link #KID}.
 */
public final class FakeGoogleAuth extends MockHttpTransport {
  public static final String KID = "test-kid-1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String keys;
  private final AtomicReference<Map<String, Object>> user = new AtomicReference<>();
  private final AtomicInteger lookups = new AtomicInteger();

  public FakeGoogleAuth() {
    this.keys = json(Map.of(KID, resource("/auth/test-cert.pem")));
    setUser("user-1", 0, false);
  }

  /** The key behind the published certificate: what Google signs ID tokens with, here. */
  public static PrivateKey signingKey() {
    String pem = resource("/auth/test-key.pem");
    try {
      return KeyFactory.getInstance("RSA")
          .generatePrivate(
              new PKCS8EncodedKeySpec(
                  Base64.getMimeDecoder()
                      .decode(
                          pem.replace("-----BEGIN PRIVATE KEY-----", "")
                              .replace("-----END PRIVATE KEY-----", ""))));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The user every lookup answers with: tokens issued before {@code validSince} are revoked. */
  public void setUser(String uid, long validSince, boolean disabled) {
    Map<String, Object> record = new HashMap<>();
    record.put("localId", uid);
    record.put("disabled", disabled);
    record.put("validSince", Long.toString(validSince));
    user.set(record);
  }

  public int lookups() {
    return lookups.get();
  }

  public void resetLookups() {
    lookups.set(0);
  }

  @Override
  public LowLevelHttpRequest buildRequest(String method, String url) {
    return new MockLowLevelHttpRequest(url) {
      @Override
      public LowLevelHttpResponse execute() {
        MockLowLevelHttpResponse response =
            new MockLowLevelHttpResponse().setContentType("application/json");
        if (url.endsWith("/accounts:lookup")) {
          lookups.incrementAndGet();
          return response.setContent(json(Map.of("users", List.of(user.get()))));
        }
        return response.addHeader("Cache-Control", "public, max-age=3600").setContent(keys);
      }
    };
  }

  private static String resource(String name) {
    try (InputStream in = FakeGoogleAuth.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is not on the test class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
