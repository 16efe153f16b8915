package dev.cirrus.shared.adapter.firebase;

import com.google.firebase.ErrorCode;
import com.google.firebase.auth.AuthErrorCode;
import com.google.firebase.auth.FirebaseAuth;
import com.google.firebase.auth.FirebaseAuthException;
import com.google.firebase.auth.FirebaseToken;
import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.auth.RolesClaim;
import dev.cirrus.shared.auth.Standing;
import dev.cirrus.shared.auth.TokenVerifier;
import dev.cirrus.shared.auth.VerifiedToken;
import dev.cirrus.shared.error.Unauthenticated;
import dev.cirrus.shared.error.Unavailable;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Verifies Firebase ID tokens with the Admin SDK: RS256 signature against Google's published keys,
 * issuer and audience of this project, expiry, and (when asked) revocation.
 */
public final class FirebaseTokenVerifier implements TokenVerifier {
  private final Supplier<FirebaseAuth> auth;
  private final boolean checkRevoked;

  public FirebaseTokenVerifier(Supplier<FirebaseAuth> auth, boolean checkRevoked) {
    this.auth = auth;
    this.checkRevoked = checkRevoked;
  }

  @Override
  public VerifiedToken verify(String idToken) {
    FirebaseToken token;
    try {
      token = auth.get().verifyIdToken(idToken, checkRevoked);
    } catch (IllegalArgumentException e) {
      throw new Unauthenticated("invalid-token", "the token is not a Firebase ID token");
    } catch (FirebaseAuthException e) {
      if (e.getAuthErrorCode() == AuthErrorCode.CERTIFICATE_FETCH_FAILED
          || e.getErrorCode() == ErrorCode.UNAVAILABLE) {
        throw new Unavailable("cannot verify tokens right now", e);
      }
      throw new Unauthenticated(code(e.getAuthErrorCode()), "the token was refused: " + reason(e));
    }
    Object exp = token.getClaims().get("exp");
    if (!(exp instanceof Number seconds)) {
      throw new Unauthenticated("invalid-token", "the token has no expiry");
    }
    Optional<String> email = Optional.ofNullable(token.getEmail());
    Principal principal =
        Principal.fromToken(
            token.getUid(),
            email,
            RolesClaim.parse(token.getClaims().get(RolesClaim.NAME)),
            Standing.of(email, token.isEmailVerified(), token.getClaims().get("firebase")));
    return new VerifiedToken(principal, Instant.ofEpochSecond(seconds.longValue()));
  }

  /** Creates the Admin SDK's auth client; its keys are fetched by the first real token. */
  @Override
  public void warmUp() {
    try {
      auth.get();
    } catch (RuntimeException e) {
      // The first request will report it.
    }
  }

  private static String code(AuthErrorCode code) {
    if (code == AuthErrorCode.EXPIRED_ID_TOKEN) {
      return "expired-token";
    }
    if (code == AuthErrorCode.REVOKED_ID_TOKEN) {
      return "token-revoked";
    }
    if (code == AuthErrorCode.USER_DISABLED) {
      return "user-disabled";
    }
    return "invalid-token";
  }

  private static String reason(FirebaseAuthException e) {
    return e.getAuthErrorCode() == null
        ? "invalid"
        : e.getAuthErrorCode().name().toLowerCase().replace('_', ' ');
  }
}
