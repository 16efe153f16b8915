package dev.cirrus.local.storage.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.local.storage.Catalog;
import dev.cirrus.local.storage.Faults;
import dev.cirrus.local.storage.Notifications;
import dev.cirrus.local.storage.ObjectStore;
import dev.cirrus.local.storage.blob.MemoryBlobStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The JSON API's route table: every route answers the request it is for and no other route does, so
 * the table's order cannot matter; object names with slashes and the short form without {@code
 * /storage/v1} route the same way.
 */
class JsonRoutesTest {
  private final JsonRoutes table =
      new JsonApi(
              new ObjectStore(new MemoryBlobStore(), Catalog.NONE, Clock.systemUTC(), (t, o) -> {}),
              new Notifications(Optional.empty()),
              new Faults())
          .routes();
  private final List<JsonRoutes.Route> routes = table.routes();

  private List<JsonRoutes.Route> matching(String method, String path) {
    List<JsonRoutes.Route> found = new ArrayList<>();
    for (JsonRoutes.Route route : routes) {
      if (route.match(method, path) != null) {
        found.add(route);
      }
    }
    return found;
  }

  /** A request for {@code route}, its parameters filled with awkward but valid values. */
  private static String sample(JsonRoutes.Route route, boolean shortForm) {
    String path =
        route
            .template()
            .replaceAll("\\{[a-zA-Z]+\\.\\.\\.}", "dir/sub dir/file%2Fname.txt")
            .replaceAll("\\{[a-zA-Z]+}", "seg-1");
    return shortForm || !path.startsWith("/b") ? path : "/storage/v1" + path;
  }

  @Test
  void everyRouteIsTheOneChosenForItsOwnRequest() {
    assertThat(routes).hasSizeGreaterThan(45);
    for (JsonRoutes.Route route : routes) {
      for (boolean shortForm : new boolean[] {false, true}) {
        String path = sample(route, shortForm);
        assertThat(table.find(route.method(), path))
            .as(route.method() + " " + path)
            .isEqualTo(route);
        List<JsonRoutes.Route> all = matching(route.method(), path);
        assertThat(all).as(route.method() + " " + path).contains(route);
        // Only an object's sub-resource may also match the object's own route.
        assertThat(all.stream().filter(r -> r != route))
            .allMatch(r -> r.template().endsWith("{object...}"));
      }
    }
  }

  @Test
  void anObjectsAclIsItsSubResourceUnlessTheSlashIsEscaped() {
    assertThat(table.find("GET", "/storage/v1/b/b/o/x/acl").template())
        .isEqualTo("/b/{bucket}/o/{object}/acl");
    assertThat(table.find("DELETE", "/storage/v1/b/b/o/x/acl/allUsers").template())
        .isEqualTo("/b/{bucket}/o/{object}/acl/{entity}");
    JsonRoutes.Route object = table.find("GET", "/storage/v1/b/b/o/x%2Facl");
    assertThat(object.template()).isEqualTo("/b/{bucket}/o/{object...}");
    assertThat(object.match("GET", "/storage/v1/b/b/o/x%2Facl")).containsEntry("object", "x/acl");
  }

  @Test
  void objectNamesKeepTheirSlashesAndEscapes() {
    JsonRoutes.Route get =
        matching("GET", "/storage/v1/b/bucket/o/a/b/c%2Fd.txt").stream().findFirst().orElseThrow();
    assertThat(get.match("GET", "/storage/v1/b/bucket/o/a/b/c%2Fd.txt"))
        .isEqualTo(Map.of("bucket", "bucket", "object", "a/b/c/d.txt"));
  }

  @Test
  void anObjectNamedLikeAnActionIsStillAnObjectForOtherMethods() {
    assertThat(matching("GET", "/storage/v1/b/b/o/x/compose"))
        .extracting(JsonRoutes.Route::template)
        .containsExactly("/b/{bucket}/o/{object...}");
    assertThat(matching("POST", "/storage/v1/b/b/o/x/compose"))
        .extracting(JsonRoutes.Route::template)
        .containsExactly("/b/{bucket}/o/{object}/compose");
  }

  @Test
  void unknownRequestsMatchNothing() {
    assertThat(matching("GET", "/storage/v1/nothing")).isEmpty();
    assertThat(matching("POST", "/storage/v1/b/b/o/x")).isEmpty();
    assertThat(matching("HEAD", "/storage/v1/b/b")).isEmpty();
  }
}
