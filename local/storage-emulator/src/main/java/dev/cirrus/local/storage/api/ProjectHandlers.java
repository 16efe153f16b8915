package dev.cirrus.local.storage.api;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /projects/{project}/serviceAccount}: the Cloud Storage service agent of a project,
 * which clients ask for before granting it a role (to publish bucket notifications, for one). The
 * service names it by project number; the emulator has none, so it derives a stable one.
 */
final class ProjectHandlers {
  void routes(JsonRoutes routes) {
    routes.add("GET", "/projects/{project}/serviceAccount", this::serviceAccount);
  }

  private void serviceAccount(Exchange exchange) throws IOException {
    String project = exchange.param("project");
    long number =
        Math.floorMod((long) project.hashCode() * 2654435761L, 900_000_000_000L) + 100_000_000_000L;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", "storage#serviceAccount");
    body.put("email_address", "service-" + number + "@gs-project-accounts.iam.gserviceaccount.com");
    exchange.sendJson(200, body);
  }
}
