package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cirrus.local.emulators.ProjectLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code infra/monitoring.tf} promises an operator, checked on the Terraform as its parser
 * reads it: every alert reaches the channels and names a runbook section that exists, every
 * subscription has a backlog alert, both SLOs have burn-rate alerts, and the log-based metrics
 * count labels the code really writes.
 */
class MonitoringInfraTest {
  private static final Pattern RUNBOOK =
      Pattern.compile("Runbook: \\$\\{var\\.runbook_base_url}#([a-z0-9-]+)");

  private static Path root;
  private static TerraformConfig infra;
  private static Set<String> runbookAnchors;

  @BeforeAll
  static void parse() throws Exception {
    root = ProjectLayout.locate().root();
    infra = TerraformConfig.parse(root, root.resolve("infra"));
    runbookAnchors = new HashSet<>();
    for (String line : Files.readAllLines(root.resolve("docs/operations.md"))) {
      if (line.startsWith("#")) {
        // GitHub's anchor: lower case, punctuation dropped, spaces to hyphens.
        String title = line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT);
        runbookAnchors.add(title.replaceAll("[^a-z0-9 -]", "").trim().replace(' ', '-'));
      }
    }
  }

  @Test
  void everyAlertGoesToTheChannelsAndNamesARunbookSectionThatExists() {
    Map<String, JsonNode> alerts = infra.ofType("google_monitoring_alert_policy");
    assertThat(alerts).hasSizeGreaterThanOrEqualTo(7);
    alerts.forEach(
        (name, alert) -> {
          assertThat(alert.path("notification_channels").asText())
              .as(name)
              .isEqualTo("${var.notification_channels}");
          String content = alert.path("documentation").get(0).path("content").asText();
          Matcher m = RUNBOOK.matcher(content);
          assertThat(m.find()).as(name + ": " + content).isTrue();
          assertThat(runbookAnchors)
              .as(name + " links to docs/operations.md#" + m.group(1))
              .contains(m.group(1));
        });
  }

  @Test
  void everySubscriptionIsAnEventarcOneAndTheBacklogAlertWatchesEachOfThem() {
    // Every consumer of a topic is an Eventarc trigger: a function's own, or one made beside it.
    int consumers = 0;
    for (var f : infra.ofType("google_cloudfunctions2_function").values()) {
      if (f.has("event_trigger")) {
        consumers++;
        assertThat(f.path("event_trigger").get(0).path("pubsub_topic").asText()).isNotBlank();
      }
    }
    consumers += infra.ofType("google_eventarc_trigger").size();
    // process-upload, notify (two), dead-letters, sweeper, account-deletion, account-export,
    // webhook-delivery (three).
    assertThat(consumers).isEqualTo(10);
    assertThat(infra.ofType("google_pubsub_subscription")).isEmpty();

    JsonNode condition =
        infra
            .only("google_monitoring_alert_policy", "subscription_backlog")
            .path("conditions")
            .get(0)
            .path("condition_threshold")
            .get(0);
    assertThat(condition.path("filter").asText())
        .contains("pubsub.googleapis.com/subscription/oldest_unacked_message_age")
        .contains("subscription_id=starts_with(\"eventarc-\")");
    assertThat(condition.path("threshold_value").asInt()).isEqualTo(300);
    // Reduced across series it would be one alert for all; per series it is one per subscription.
    assertThat(condition.path("aggregations").get(0).has("cross_series_reducer")).isFalse();
  }

  @Test
  void bothSlosHaveAFastAndASlowBurnRateAlert() {
    assertThat(infra.ofType("google_monitoring_slo")).containsKeys("availability", "latency");
    JsonNode burn = infra.only("google_monitoring_alert_policy", "slo_burn");
    assertThat(burn.path("for_each").toString())
        .contains("google_monitoring_slo.availability.id")
        .contains("google_monitoring_slo.latency.id");
    assertThat(burn.path("conditions").toString())
        .contains("select_slo_burn_rate")
        .contains("3600s")
        .contains("21600s");
  }

  @Test
  void theLogBasedMetricsCountLabelsTheCodeWrites() throws IOException {
    String code;
    try (Stream<Path> files =
        Stream.concat(Files.walk(root.resolve("shared")), Files.walk(root.resolve("functions")))) {
      code =
          files
              .filter(p -> p.toString().endsWith(".java") && p.toString().contains("src/main"))
              .map(MonitoringInfraTest::read)
              .reduce("", String::concat);
    }
    String metrics = infra.ofType("google_logging_metric").toString();
    for (String label : new String[] {"outcome", "rateLimit", "userCache"}) {
      assertThat(metrics).contains("labels." + label);
      assertThat(code).as("a line labelled " + label).contains("\"" + label + "\"");
    }
    assertThat(code).contains("\"failed-open\"");
    // dead-letters' warning, "<message id>: dead letter <id> from ...", which the metric matches.
    assertThat(metrics).contains(": dead letter ");
    assertThat(code).contains("\"dead letter \"");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
