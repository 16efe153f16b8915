package dev.cirrus.local.storage.api;

import dev.cirrus.local.storage.Projects;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /projects/{project}/serviceAccount}: the Cloud Storage service agent of a project,
 * which clients ask for before granting it a role (to publish bucket notifications, for one). The
 * service names it by project number; {@link Projects} derives one.
 */
final class ProjectHandlers {
  void routes(JsonRoutes routes) {
    routes.add("GET", "/projects/{project}/serviceAccount", this::serviceAccount);
  }

  private void serviceAccount(Exchange exchange) throws IOException {
    String project = exchange.param("project");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", "storage#serviceAccount");
    body.put(
        "email_address",
        "service-" + Projects.number(project) + "@gs-project-accounts.iam.gserviceaccount.com");
    exchange.sendJson(200, body);
  }
}
