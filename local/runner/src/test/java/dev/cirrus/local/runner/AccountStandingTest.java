package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Accounts cost nothing to make, so storage follows what an account has proven: through the
 * gateway, with users of the Auth emulator as an app makes them.
 */
@ExtendWith(RunningStack.class)
class AccountStandingTest {
  private static final long MIB = 1024 * 1024;
  private static StackApi api;

  @BeforeAll
  static void connect(RunningStack.Handle handle) {
    api = new StackApi(handle.stack());
  }

  private static long limit(String token) throws Exception {
    HttpResponse<String> me = api.call("GET", "/v1/me", token, null);
    assertThat(me.statusCode()).isEqualTo(200);
    return StackApi.json(me).path("quota").path("limitBytes").asLong();
  }

  private static HttpResponse<String> declare(String token, long size) throws Exception {
    String body =
        StackApi.JSON.writeValueAsString(
            Map.of("filename", "big.bin", "contentType", "text/plain", "size", size));
    return api.call("POST", "/v1/uploads", token, body);
  }

  private static void abort(String token, HttpResponse<String> created) throws Exception {
    String id = StackApi.json(created).path("uploadId").asText();
    assertThat(api.call("DELETE", "/v1/uploads/" + id, token, null).statusCode()).isEqualTo(204);
  }

  private static void assertQuotaExceeded(HttpResponse<String> refused) throws Exception {
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
    JsonNode problem = StackApi.json(refused);
    assertThat(problem.path("code").asText()).isEqualTo("quota-exceeded");
  }

  @Test
  void anAccountWithAnUnverifiedEmailMayStoreAHundredMebibytesUntilItIsVerified() throws Exception {
    AuthEmulatorClient.User user = api.newUser();
    assertThat(limit(user.idToken())).isEqualTo(100 * MIB);
    HttpResponse<String> first = declare(user.idToken(), 60 * MIB);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertQuotaExceeded(declare(user.idToken(), 60 * MIB));

    api.auth().verifyEmail(user.uid());
    String verified = api.signInAgain(user).idToken();
    assertThat(limit(verified)).isEqualTo(5L * 1024 * MIB);
    HttpResponse<String> second = declare(verified, 60 * MIB);
    assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
    abort(verified, first);
    abort(verified, second);
  }

  @Test
  void anAnonymousAccountMayStoreTwentyMebibytes() throws Exception {
    AuthEmulatorClient.User anonymous = api.auth().signUpAnonymously();
    assertThat(limit(anonymous.idToken())).isEqualTo(20 * MIB);
    assertQuotaExceeded(declare(anonymous.idToken(), 20 * MIB + 1));
    HttpResponse<String> fits = declare(anonymous.idToken(), 20 * MIB);
    assertThat(fits.statusCode()).as(fits.body()).isEqualTo(201);
    abort(anonymous.idToken(), fits);
  }
}
