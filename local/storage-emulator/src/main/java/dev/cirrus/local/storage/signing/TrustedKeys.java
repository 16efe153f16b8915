package dev.cirrus.local.storage.signing;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The service accounts whose signatures the emulator accepts, by e-mail. */
public final class TrustedKeys {
  private final Map<String, PublicKey> keys = new ConcurrentHashMap<>();

  /** Trusts the account whose PKCS#8 private key this is (a service-account key file's). */
  public TrustedKeys trustPrivateKeyPem(String email, String pkcs8Pem) {
    try {
      RSAPrivateCrtKey key =
          (RSAPrivateCrtKey)
              KeyFactory.getInstance("RSA")
                  .generatePrivate(new PKCS8EncodedKeySpec(der(pkcs8Pem, "PRIVATE KEY")));
      keys.put(
          email,
          KeyFactory.getInstance("RSA")
              .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())));
      return this;
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("not an RSA PKCS#8 key for " + email, e);
    }
  }

  /** Trusts an X.509 SubjectPublicKeyInfo RSA key. */
  public TrustedKeys trustPublicKeyPem(String email, String pem) {
    try {
      keys.put(
          email,
          KeyFactory.getInstance("RSA")
              .generatePublic(new X509EncodedKeySpec(der(pem, "PUBLIC KEY"))));
      return this;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an RSA public key for " + email, e);
    }
  }

  Optional<PublicKey> key(String email) {
    return Optional.ofNullable(keys.get(email));
  }

  private static byte[] der(String pem, String type) {
    String body =
        pem.replace("-----BEGIN " + type + "-----", "")
            .replace("-----END " + type + "-----", "")
            .replaceAll("\\s", "");
    return Base64.getDecoder().decode(body);
  }
}
