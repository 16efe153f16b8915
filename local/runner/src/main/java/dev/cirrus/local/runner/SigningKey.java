package dev.cirrus.local.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.local.storage.signing.TrustedKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A throw-away service account key for the local stack: functions sign download URLs with it
 * ({@code CIRRUS_SIGNING_KEY_FILE}) and the storage emulator trusts it, as Cloud Storage trusts the
 * function's own account in production. Made fresh at every start; never leaves the machine.
 */
record SigningKey(Path file, TrustedKeys trusted) {

  static SigningKey generate(String projectId, Path file) throws IOException {
    KeyPair pair;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      pair = generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("RSA is part of every JDK", e);
    }
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    String email = "local-signer@" + projectId + ".iam.gserviceaccount.com";
    Map<String, String> key = new LinkedHashMap<>();
    key.put("type", "service_account");
    key.put("project_id", projectId);
    key.put("private_key_id", "local-" + Long.toHexString(System.nanoTime()));
    key.put("private_key", pem);
    key.put("client_email", email);
    key.put("client_id", "100000000000000000000");
    key.put("token_uri", "http://127.0.0.1:1/token");
    Files.createDirectories(file.getParent());
    Files.write(file, new ObjectMapper().writeValueAsBytes(key));
    return new SigningKey(file, new TrustedKeys().trustPrivateKeyPem(email, pem));
  }
}
