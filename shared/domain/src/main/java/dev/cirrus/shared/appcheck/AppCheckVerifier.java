package dev.cirrus.shared.appcheck;

import dev.cirrus.shared.error.Unauthenticated;
import dev.cirrus.shared.error.Unavailable;

/** Port: checks an App Check token, as Firebase documents for backends of one's own. */
public interface AppCheckVerifier {
  /**
   * @throws Unauthenticated (code {@code app-check-failed}) when the token is malformed, forged,
   *     expired, or for another project
   * @throws Unavailable when the keys to check it with cannot be had right now
   */
  AppCheckToken verify(String token);
}
