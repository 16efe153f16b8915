package dev.cirrus.functions.admin;

import dev.cirrus.shared.admin.AdminService.AccountView;
import dev.cirrus.shared.config.CirrusConfig;
import dev.cirrus.shared.config.ConfigException;
import dev.cirrus.shared.error.CirrusException;
import dev.cirrus.shared.platform.Platform;
import java.io.PrintStream;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The operator's command that makes a user an admin: how the first admin comes to be, since the API
 * grants roles only to callers who already are one. Run with the admin function's environment
 * (locally {@code local/admin grant EMAIL}; in production {@code local/admin --project ID grant
 * EMAIL} with application default credentials that may update Firebase Auth users and write
 * Firestore, see docs/operations.md). Recorded in the audit log as {@code cli:<user>}.
 */
public final class GrantAdmin {
  private GrantAdmin() {}

  public static void main(String[] args) {
    System.exit(run(System.getenv(), args, System.out, System.err));
  }

  /**
   * @return the exit status: 0 granted, 1 refused (no such account, a bad environment), 2 usage
   */
  public static int run(
      Map<String, String> environment, String[] args, PrintStream out, PrintStream err) {
    if (args.length != 2 || !"grant".equals(args[0])) {
      err.println("usage: admin grant EMAIL");
      return 2;
    }
    String operator = System.getProperty("user.name", "operator");
    try {
      Map<String, String> env = new HashMap<>(environment);
      env.putIfAbsent("K_SERVICE", "admin-cli");
      Platform platform = Platform.create(CirrusConfig.fromEnvironment(env), Clock.systemUTC());
      AccountView account =
          AdminFunction.admin(platform).grantAdmin(args[1], operator, "cli-" + UUID.randomUUID());
      out.println(
          account.email()
              + " ("
              + account.uid()
              + ") now has the roles "
              + account.roles()
              + "; tokens issued before now are revoked: they sign in again to use them.");
      return 0;
    } catch (CirrusException | ConfigException e) {
      err.println("Not granted: " + e.getMessage());
      return 1;
    }
  }
}
