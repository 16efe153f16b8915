package dev.cirrus.shared.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.adapter.memory.InMemoryAdminRegistry;
import dev.cirrus.shared.adapter.memory.InMemoryAuditLog;
import dev.cirrus.shared.adapter.memory.InMemoryIdentityAdmin;
import dev.cirrus.shared.adapter.memory.InMemoryUploadStore;
import dev.cirrus.shared.adapter.memory.InMemoryUserCache;
import dev.cirrus.shared.adapter.memory.InMemoryUserStore;
import dev.cirrus.shared.admin.AdminService.RolesRequest;
import dev.cirrus.shared.admin.AdminService.UserDetails;
import dev.cirrus.shared.auth.AccessPolicy;
import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.error.BadRequest;
import dev.cirrus.shared.error.Conflict;
import dev.cirrus.shared.error.NotFound;
import dev.cirrus.shared.error.PermissionDenied;
import dev.cirrus.shared.error.Unavailable;
import dev.cirrus.shared.paging.Cursor;
import dev.cirrus.shared.storage.ObjectRef;
import dev.cirrus.shared.testing.MutableClock;
import dev.cirrus.shared.uploads.AdmissionRules;
import dev.cirrus.shared.uploads.Upload;
import dev.cirrus.shared.uploads.UploadStatus;
import dev.cirrus.shared.users.Device;
import dev.cirrus.shared.users.DevicePlatform;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.Settings;
import dev.cirrus.shared.users.UserRecord;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServiceTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
  private final InMemoryIdentityAdmin identity = new InMemoryIdentityAdmin(clock);
  private final InMemoryAdminRegistry registry = new InMemoryAdminRegistry();
  private final InMemoryAuditLog log = new InMemoryAuditLog();
  private final InMemoryUserStore users = new InMemoryUserStore();
  private final InMemoryUploadStore uploads = new InMemoryUploadStore();
  private final InMemoryUserCache cache =
      new InMemoryUserCache(clock, Duration.ofMinutes(2), Duration.ofSeconds(5));
  private final AtomicInteger ids = new AtomicInteger();
  private final AdminService service =
      new AdminService(
          identity,
          registry,
          new AuditTrail(log, clock, () -> "audit-" + ids.incrementAndGet()),
          users,
          uploads,
          cache,
          new AccessPolicy());

  private Actor root;
  private final Actor joe = new Actor(new Principal("joe", Optional.empty(), Set.of()), "req-joe");

  @BeforeEach
  void firstAdmin() {
    identity.add("root", "root@example.com");
    identity.add("joe", "joe@example.com");
    service.grantAdmin("root@example.com", "ops", "cli-run-1");
    root =
        new Actor(
            new Principal("root", Optional.of("root@example.com"), Set.of(Principal.ADMIN)),
            "req-root");
  }

  @Test
  void theFirstAdminIsMadeByTheOperatorsCommandAndRecorded() {
    assertThat(identity.find("root").orElseThrow().roles()).containsExactly(Principal.ADMIN);
    assertThat(registry.admins()).containsExactly("root");
    AuditEntry entry = log.all().get(0);
    assertThat(entry.actorUid()).isEqualTo("cli:ops");
    assertThat(entry.requestId()).isEqualTo("cli-run-1");
    assertThat(entry.details()).containsEntry("after", "admin");
    assertThat(entry.outcome()).isEqualTo(AuditEntry.DONE);
    assertThatThrownBy(() -> service.grantAdmin("nobody@example.com", "ops", "cli-run-2"))
        .isInstanceOf(NotFound.class);
  }

  @Test
  void grantingARoleSetsTheClaimRevokesTokensEvictsTheCacheAndIsAudited() {
    cache.remember(
        new UserRecord(
            "joe", Optional.empty(), Settings.DEFAULT, Quota.empty(10), clock.instant()));
    clock.advance(Duration.ofSeconds(3));

    AdminService.AccountView view =
        service.setRoles(root, "joe", new RolesRequest(List.of("admin")));

    assertThat(view.roles()).containsExactly("admin");
    assertThat(identity.find("joe").orElseThrow().roles()).containsExactly("admin");
    assertThat(view.tokensValidAfter()).isEqualTo(clock.instant());
    assertThat(registry.admins()).containsExactlyInAnyOrder("root", "joe");
    assertThat(cache.find("joe")).isEmpty();
    AuditEntry entry = log.all().get(0);
    assertThat(entry.action()).isEqualTo("user.roles.set");
    assertThat(entry.actorUid()).isEqualTo("root");
    assertThat(entry.actorEmail()).contains("root@example.com");
    assertThat(entry.target()).isEqualTo("joe");
    assertThat(entry.requestId()).isEqualTo("req-root");
    assertThat(entry.details()).containsEntry("before", "").containsEntry("after", "admin");
  }

  @Test
  void aRoleOutsideTheKnownSetIsABadRequestAndChangesNothing() {
    assertThatThrownBy(() -> service.setRoles(root, "joe", new RolesRequest(List.of("owner"))))
        .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.field()).contains("roles"));
    assertThatThrownBy(() -> service.setRoles(root, "joe", new RolesRequest(null)))
        .isInstanceOf(BadRequest.class);
    assertThatThrownBy(() -> service.setRoles(root, "joe", null)).isInstanceOf(BadRequest.class);
    assertThat(identity.find("joe").orElseThrow().roles()).isEmpty();
    assertThat(log.all()).hasSize(1); // the first admin's grant only
  }

  @Test
  void theLastAdminCannotRemoveTheirOwnAdminRole() {
    assertThatThrownBy(() -> service.setRoles(root, "root", new RolesRequest(List.of())))
        .isInstanceOfSatisfying(Conflict.class, e -> assertThat(e.code()).isEqualTo("last-admin"));
    assertThat(identity.find("root").orElseThrow().roles()).containsExactly("admin");
    assertThat(log.all().get(0).outcome()).as("recorded, as refused").isEqualTo(AuditEntry.FAILED);

    service.setRoles(root, "joe", new RolesRequest(List.of("admin")));
    service.setRoles(root, "root", new RolesRequest(List.of()));
    assertThat(registry.admins()).containsExactly("joe");
    assertThat(identity.find("root").orElseThrow().roles()).isEmpty();
  }

  @Test
  void onlyAdminsUseTheToolsAndARefusalRecordsNothing() {
    int before = log.all().size();
    assertThatThrownBy(() -> service.setRoles(joe, "joe", new RolesRequest(List.of("admin"))))
        .isInstanceOf(PermissionDenied.class);
    assertThatThrownBy(() -> service.user(joe, "root")).isInstanceOf(PermissionDenied.class);
    assertThatThrownBy(() -> service.disable(joe, "root")).isInstanceOf(PermissionDenied.class);
    assertThatThrownBy(() -> service.enable(joe, "root")).isInstanceOf(PermissionDenied.class);
    assertThatThrownBy(() -> service.audit(joe, Optional.empty(), Optional.empty()))
        .isInstanceOf(PermissionDenied.class);
    assertThat(log.all()).hasSize(before);
  }

  @Test
  void anUnknownOrMalformedUserIsNotFound() {
    assertThatThrownBy(() -> service.user(root, "nobody")).isInstanceOf(NotFound.class);
    assertThatThrownBy(() -> service.user(root, "../etc")).isInstanceOf(NotFound.class);
    assertThatThrownBy(() -> service.disable(root, "nobody")).isInstanceOf(NotFound.class);
    assertThatThrownBy(() -> service.setRoles(root, "nobody", new RolesRequest(List.of())))
        .isInstanceOf(NotFound.class);
  }

  @Test
  void aUsersDetailsShowQuotaDevicesAndRecentUploadsAndTheLookIsRecorded() {
    UserRecord joeRecord =
        new UserRecord(
            "joe", Optional.empty(), Settings.DEFAULT, Quota.empty(1000), clock.instant());
    users.findOrCreate(joeRecord);
    users.registerDevice(
        "joe", Device.register("fcm-token-1", DevicePlatform.IOS, clock.instant()), 10);
    for (int i = 0; i < 12; i++) {
      clock.advance(Duration.ofSeconds(1));
      uploads.create(upload("joe", "u" + i), joeRecord, rules());
    }
    uploads.reject("u11", "not-an-image", clock.instant());

    UserDetails details = service.user(root, "joe");

    assertThat(details.account().email()).isEqualTo("joe@example.com");
    assertThat(details.quota().limitBytes()).isEqualTo(1000);
    assertThat(details.deviceCount()).isEqualTo(1);
    assertThat(details.recentUploads()).hasSize(AdminService.RECENT_UPLOADS);
    assertThat(details.recentUploads().get(0).uploadId()).isEqualTo("u11");
    assertThat(details.recentUploads().get(0).reason()).isEqualTo("not-an-image");
    assertThat(log.all().get(0).action()).isEqualTo("user.read");
  }

  @Test
  void disablingRevokesTokensAndAnAdminCannotDisableThemselves() {
    clock.advance(Duration.ofSeconds(7));
    assertThat(service.disable(root, "joe").disabled()).isTrue();
    assertThat(identity.find("joe").orElseThrow().tokensValidAfter()).contains(clock.instant());
    assertThat(service.enable(root, "joe").disabled()).isFalse();
    assertThatThrownBy(() -> service.disable(root, "root"))
        .isInstanceOfSatisfying(
            Conflict.class, e -> assertThat(e.code()).isEqualTo("self-disable"));
    assertThat(log.all()).extracting(AuditEntry::action).startsWith("user.enable", "user.disable");
  }

  @Test
  void anActionThatFailsIsRecordedAsFailedAndOneThatCannotBeRecordedDoesNotRun() {
    AdminService broken =
        new AdminService(
            identity,
            registry,
            new AuditTrail(new UnwritableLog(), clock, () -> "x"),
            users,
            uploads,
            cache,
            new AccessPolicy());
    assertThatThrownBy(() -> broken.disable(root, "joe")).isInstanceOf(Unavailable.class);
    assertThat(identity.find("joe").orElseThrow().disabled()).isFalse();
  }

  @Test
  void theAuditLogIsReadNewestFirstInPages() {
    service.disable(root, "joe");
    service.enable(root, "joe");
    AdminService.AuditList first = service.audit(root, Optional.of("2"), Optional.empty());
    assertThat(first.entries())
        .extracting(AdminService.AuditView::action)
        .containsExactly("user.enable", "user.disable");
    AdminService.AuditList rest =
        service.audit(root, Optional.of("2"), Optional.of(first.nextPageToken()));
    assertThat(rest.entries())
        .extracting(AdminService.AuditView::action)
        .containsExactly("user.roles.set");
    assertThat(rest.nextPageToken()).isNull();
    assertThatThrownBy(() -> service.audit(root, Optional.empty(), Optional.of("garbage!")))
        .isInstanceOf(BadRequest.class);
  }

  private Upload upload(String owner, String id) {
    Instant at = clock.instant();
    return new Upload(
        id,
        owner,
        id + ".jpg",
        "image/jpeg",
        10,
        Optional.empty(),
        Optional.empty(),
        new ObjectRef("uploads", Upload.objectName(owner, id)),
        URI.create("http://127.0.0.1:1/session/" + id),
        UploadStatus.PENDING,
        Optional.empty(),
        Optional.empty(),
        at,
        at,
        at.plus(Duration.ofDays(1)),
        Optional.empty(),
        Optional.empty(),
        0,
        Optional.empty());
  }

  private AdmissionRules rules() {
    return new AdmissionRules(100, Long.MAX_VALUE, 1000, Long.MAX_VALUE, clock.instant());
  }

  /** A log whose store is down. */
  private static final class UnwritableLog implements AuditLog {
    @Override
    public void record(AuditEntry entry) {
      throw new Unavailable("down", new IOException("down"));
    }

    @Override
    public void complete(String id, String outcome) {
      throw new Unavailable("down", new IOException("down"));
    }

    @Override
    public AuditPage list(int pageSize, Optional<Cursor> after) {
      return new AuditPage(List.of(), Optional.empty());
    }
  }
}
