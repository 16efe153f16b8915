package dev.cirrus.shared.admin;

import dev.cirrus.shared.auth.AccessPolicy;
import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.auth.RolesClaim;
import dev.cirrus.shared.auth.Uid;
import dev.cirrus.shared.error.BadRequest;
import dev.cirrus.shared.error.Conflict;
import dev.cirrus.shared.error.NotFound;
import dev.cirrus.shared.paging.Cursor;
import dev.cirrus.shared.uploads.Upload;
import dev.cirrus.shared.uploads.UploadStore;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.UserCache;
import dev.cirrus.shared.users.UserStore;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The operator's tools on users, for the {@code admin} role: roles, a user's standing, disabling.
 * Every action is in the audit log. A role change revokes the user's tokens, so it holds from the
 * user's next request: admin routes check revocation on every call (see {@code
 * Platform.adminHttpApi}).
 */
public final class AdminService {
  public static final int DEFAULT_PAGE_SIZE = 50;
  public static final int MAX_PAGE_SIZE = 200;
  static final int RECENT_UPLOADS = 10;
  private static final String ROLES_SET = "user.roles.set";
  private static final Pattern AUDIT_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  private final IdentityAdmin identity;
  private final AdminRegistry registry;
  private final AuditTrail audit;
  private final UserStore users;
  private final UploadStore uploads;
  private final UserCache userCache;
  private final AccessPolicy access;

  public AdminService(
      IdentityAdmin identity,
      AdminRegistry registry,
      AuditTrail audit,
      UserStore users,
      UploadStore uploads,
      UserCache userCache,
      AccessPolicy access) {
    this.identity = identity;
    this.registry = registry;
    this.audit = audit;
    this.users = users;
    this.uploads = uploads;
    this.userCache = userCache;
    this.access = access;
  }

  /** {@code PUT /v1/admin/users/{uid}/roles} body. */
  public record RolesRequest(List<String> roles) {}

  /** An account as the admin API shows it. */
  public record AccountView(
      String uid,
      String email,
      boolean emailVerified,
      boolean disabled,
      Set<String> roles,
      Instant createdAt,
      Instant lastSignInAt,
      Instant tokensValidAfter) {
    static AccountView of(Account a) {
      return new AccountView(
          a.uid(),
          a.email().orElse(null),
          a.emailVerified(),
          a.disabled(),
          new TreeSet<>(a.roles()),
          a.createdAt().orElse(null),
          a.lastSignInAt().orElse(null),
          a.tokensValidAfter().orElse(null));
    }
  }

  /** {@code GET /v1/admin/users/{uid}}: what an operator needs to answer for a user. */
  public record UserDetails(
      AccountView account, QuotaView quota, int deviceCount, List<UploadSummary> recentUploads) {}

  /** The user's storage; absent until the user's first call made the user document. */
  public record QuotaView(long usedBytes, long fileCount, long limitBytes) {
    static QuotaView of(Quota q) {
      return new QuotaView(q.usedBytes(), q.fileCount(), q.limitBytes());
    }
  }

  /** One upload of the user, with why it ended where it did. */
  public record UploadSummary(
      String uploadId,
      String filename,
      String contentType,
      long size,
      String status,
      String reason,
      String fileId,
      Instant createdAt,
      Instant updatedAt) {
    static UploadSummary of(Upload u) {
      return new UploadSummary(
          u.id(),
          u.filename(),
          u.contentType(),
          u.size(),
          u.status().wireName(),
          u.reason().orElse(null),
          u.fileId().orElse(null),
          u.createdAt(),
          u.updatedAt());
    }
  }

  /** {@code GET /v1/admin/audit} answer. */
  public record AuditList(List<AuditView> entries, String nextPageToken) {}

  public record AuditView(
      String id,
      String actorUid,
      String actorEmail,
      String action,
      String target,
      Map<String, String> details,
      Instant at,
      String requestId,
      String outcome) {
    static AuditView of(AuditEntry e) {
      return new AuditView(
          e.id(),
          e.actorUid(),
          e.actorEmail().orElse(null),
          e.action(),
          e.target(),
          e.details(),
          e.at(),
          e.requestId(),
          e.outcome());
    }
  }

  /**
   * Sets the user's roles to exactly {@code request.roles} and revokes the user's tokens.
   *
   * @throws BadRequest for a role outside {@link RolesClaim#KNOWN}
   * @throws Conflict {@code last-admin} when it would leave no admin
   */
  public AccountView setRoles(Actor actor, String uid, RolesRequest request) {
    access.requireRole(actor.principal(), Principal.ADMIN);
    Set<String> roles = roles(request);
    Account account = account(uid);
    return audit.run(
        actor, ROLES_SET, uid, rolesChange(account, roles), () -> applyRoles(account, roles));
  }

  /**
   * {@code GET /v1/admin/users/{uid}}; the look itself is recorded, as any access to a user's data.
   */
  public UserDetails user(Actor actor, String uid) {
    access.requireRole(actor.principal(), Principal.ADMIN);
    Account account = account(uid);
    return audit.run(
        actor,
        "user.read",
        uid,
        Map.of(),
        () ->
            new UserDetails(
                AccountView.of(account),
                users.quota(uid).map(QuotaView::of).orElse(null),
                users.devices(uid).size(),
                uploads.recentOf(uid, RECENT_UPLOADS).stream().map(UploadSummary::of).toList()));
  }

  /**
   * Disables the account: its tokens are refused wherever revocation is checked, and it cannot sign
   * in or refresh. An admin cannot disable themselves (nobody could undo it if they were the last).
   */
  public AccountView disable(Actor actor, String uid) {
    access.requireRole(actor.principal(), Principal.ADMIN);
    if (actor.principal().uid().equals(uid)) {
      throw new Conflict("self-disable", "an admin cannot disable their own account");
    }
    return setDisabled(actor, account(uid), true);
  }

  public AccountView enable(Actor actor, String uid) {
    access.requireRole(actor.principal(), Principal.ADMIN);
    return setDisabled(actor, account(uid), false);
  }

  public AuditList audit(Actor actor, Optional<String> pageSize, Optional<String> pageToken) {
    access.requireRole(actor.principal(), Principal.ADMIN);
    int size = Cursor.pageSize(pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    Optional<Cursor> after =
        pageToken.map(token -> Cursor.fromToken(token, id -> AUDIT_ID.matcher(id).matches()));
    AuditLog.AuditPage page = audit.list(size, after);
    return new AuditList(
        page.entries().stream().map(AuditView::of).toList(),
        page.next().map(Cursor::token).orElse(null));
  }

  /**
   * Makes the account with {@code email} an admin, for the operator's command: how the first admin
   * is made, since no API call can be made before there is one.
   *
   * @param operator who runs the command, for the audit log
   */
  public AccountView grantAdmin(String email, String operator, String runId) {
    Account account =
        identity
            .findByEmail(email)
            .orElseThrow(() -> new NotFound("no account has the email " + email));
    Set<String> roles = new TreeSet<>(account.roles());
    roles.add(Principal.ADMIN);
    return audit.run(
        "cli:" + operator,
        Optional.empty(),
        runId,
        ROLES_SET,
        account.uid(),
        rolesChange(account, roles),
        () -> applyRoles(account, roles));
  }

  /** What a role change records: the roles before and after, comma-separated and sorted. */
  private static Map<String, String> rolesChange(Account account, Set<String> roles) {
    return Map.of(
        "before",
        String.join(",", new TreeSet<>(account.roles())),
        "after",
        String.join(",", new TreeSet<>(roles)));
  }

  private AccountView applyRoles(Account account, Set<String> roles) {
    boolean admin = roles.contains(Principal.ADMIN);
    // The registry first: it is where "the last admin" is decided, under its transaction.
    registry.update(admins -> withAdmin(admins, account.uid(), admin));
    identity.setRoles(account.uid(), roles);
    identity.revokeSessions(account.uid());
    userCache.evict(account.uid());
    return AccountView.of(asItIsNow(account.withRoles(roles)));
  }

  /** The rule of the registry: admins come and go, but the last one stays. */
  static Set<String> withAdmin(Set<String> admins, String uid, boolean admin) {
    Set<String> next = new HashSet<>(admins);
    if (admin) {
      next.add(uid);
    } else {
      next.remove(uid);
      if (next.isEmpty() && !admins.isEmpty()) {
        throw new Conflict(
            "last-admin", "this would leave no admin: make another user an admin first");
      }
    }
    return next;
  }

  private AccountView setDisabled(Actor actor, Account account, boolean disabled) {
    return audit.run(
        actor,
        disabled ? "user.disable" : "user.enable",
        account.uid(),
        Map.of("before", Boolean.toString(account.disabled())),
        () -> {
          identity.setDisabled(account.uid(), disabled);
          if (disabled) {
            identity.revokeSessions(account.uid());
          }
          userCache.evict(account.uid());
          return AccountView.of(asItIsNow(account.withDisabled(disabled)));
        });
  }

  /** The account read again after a change (its revocation time is the provider's). */
  private Account asItIsNow(Account expected) {
    return identity.find(expected.uid()).orElse(expected);
  }

  private Account account(String uid) {
    try {
      new Uid(uid);
    } catch (IllegalArgumentException e) {
      throw new NotFound("user not found");
    }
    return identity.find(uid).orElseThrow(() -> new NotFound("user not found"));
  }

  private static Set<String> roles(RolesRequest request) {
    if (request == null || request.roles() == null) {
      throw BadRequest.invalidField("roles", "is required: a list of role names, [] for none");
    }
    Set<String> roles = new TreeSet<>();
    for (String role : request.roles()) {
      if (role == null || !RolesClaim.KNOWN.contains(role)) {
        String named = role == null || role.length() <= 32 ? role : role.substring(0, 32) + "...";
        throw BadRequest.invalidField(
            "roles",
            "'" + named + "' is not a role; the roles are " + new TreeSet<>(RolesClaim.KNOWN));
      }
      roles.add(role);
    }
    return roles;
  }
}
