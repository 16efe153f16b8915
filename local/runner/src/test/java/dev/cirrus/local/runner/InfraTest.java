package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.local.emulators.ProjectLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules we hold {@code infra/} to, checked by parsing the Terraform files (the google provider
 * cannot be downloaded here, so {@code terraform validate} cannot run).
 */
class InfraTest {
  private static final Pattern RESOURCE =
      Pattern.compile("(?m)^resource\\s+\"([a-z0-9_]+)\"\\s+\"([a-z0-9_]+)\"\\s*\\{");
  private static String all;
  private static List<Block> resources;

  /** A {@code resource "type" "name" { body }} block. */
  record Block(String type, String name, String body) {
    Optional<String> attribute(String key) {
      Matcher m = Pattern.compile("(?m)^\\s*" + key + "\\s*=\\s*(.+)$").matcher(body);
      return m.find() ? Optional.of(m.group(1).trim()) : Optional.empty();
    }
  }

  @BeforeAll
  static void parse() throws IOException {
    Path infra = ProjectLayout.locate().root().resolve("infra");
    StringBuilder text = new StringBuilder();
    try (Stream<Path> files = Files.list(infra)) {
      for (Path tf : files.filter(p -> p.toString().endsWith(".tf")).sorted().toList()) {
        text.append(Files.readString(tf)).append('\n');
      }
    }
    all = text.toString();
    resources = new ArrayList<>();
    Matcher m = RESOURCE.matcher(all);
    while (m.find()) {
      int end = closingBrace(all, m.end() - 1);
      resources.add(new Block(m.group(1), m.group(2), all.substring(m.end(), end)));
    }
  }

  /** The index of the brace closing the one at {@code open}, skipping quoted strings. */
  private static int closingBrace(String text, int open) {
    int depth = 0;
    boolean quoted = false;
    for (int i = open; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == '#') {
        i = text.indexOf('\n', i);
      } else if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalStateException("unbalanced braces after " + open);
  }

  private static List<Block> ofType(String type) {
    return resources.stream().filter(r -> r.type().equals(type)).toList();
  }

  @Test
  void parserFindsTheResources() {
    assertThat(resources).hasSizeGreaterThan(5);
    assertThat(ofType("google_service_account")).isNotEmpty();
  }

  @Test
  void everyFunctionOfTheCatalogIsDeployed() {
    List<String> names =
        ofType("google_cloudfunctions2_function").stream()
            .map(f -> f.attribute("name").orElseThrow().replace("\"", ""))
            .toList();
    assertThat(names)
        .containsExactlyInAnyOrderElementsOf(
            FunctionCatalog.functions().stream().map(FunctionSpec::name).toList());
  }

  @Test
  void everyFunctionRunsAsItsOwnServiceAccount() {
    Map<String, String> accountOf = new HashMap<>();
    for (Block fn : ofType("google_cloudfunctions2_function")) {
      String account =
          fn.attribute("service_account_email")
              .orElseThrow(() -> new AssertionError(fn.name() + " has no service account"));
      Matcher m =
          Pattern.compile("^google_service_account\\.([a-z0-9_]+)\\.email$").matcher(account);
      assertThat(m.matches()).as(fn.name() + " must use a google_service_account it owns").isTrue();
      assertThat(accountOf.values()).as("shared service account").doesNotContain(m.group(1));
      accountOf.put(fn.name(), m.group(1));
    }
    assertThat(accountOf).isNotEmpty();
  }

  @Test
  void onlyTheGatewayMayInvokeHttpFunctionsAndOnlyTheirTriggerEventFunctions() {
    List<Block> invokers =
        resources.stream()
            .filter(r -> r.attribute("role").orElse("").contains("run.invoker"))
            .toList();
    assertThat(invokers).hasSameSizeAs(ofType("google_cloudfunctions2_function"));
    for (Block binding : invokers) {
      String service = binding.attribute("service").orElseThrow();
      Block function =
          ofType("google_cloudfunctions2_function").stream()
              .filter(f -> service.contains("google_cloudfunctions2_function." + f.name() + "."))
              .findFirst()
              .orElseThrow(() -> new AssertionError(binding.name() + " invokes no function"));
      if (function.body().contains("event_trigger")) {
        Matcher trigger =
            Pattern.compile(
                    "service_account_email\\s*=\\s*(google_service_account\\.[a-z_]+)\\.email\\s*}")
                .matcher(function.body().substring(function.body().indexOf("event_trigger")));
        assertThat(trigger.find()).as(function.name() + " trigger account").isTrue();
        assertThat(binding.attribute("member").orElseThrow())
            .isEqualTo("\"serviceAccount:${" + trigger.group(1) + ".email}\"");
      } else {
        assertThat(binding.attribute("member").orElseThrow())
            .isEqualTo("\"serviceAccount:${google_service_account.gateway.email}\"");
      }
    }
  }

  @Test
  void eventFunctionsAreTriggeredByTheirTopicsAndRetried() {
    for (FunctionSpec fn : FunctionCatalog.functions()) {
      if (fn.signature().equals("cloudevent")) {
        Block function =
            ofType("google_cloudfunctions2_function").stream()
                .filter(f -> f.attribute("name").orElse("").equals("\"" + fn.name() + "\""))
                .findFirst()
                .orElseThrow();
        assertThat(function.body()).contains("RETRY_POLICY_RETRY");
        for (String topic : fn.topics()) {
          assertThat(function.body()).contains("topics[\"" + topic + "\"]");
        }
      }
    }
  }

  @Test
  void everyFunctionAccountMayBeUsedByTheDeployer() {
    for (Block account : ofType("google_service_account")) {
      if (!account.name().equals("deployer")) {
        assertThat(all).contains("google_service_account." + account.name() + ".name");
      }
    }
  }

  @Test
  void nothingIsPublicAndNoPrimitiveRolesAreGranted() {
    assertThat(all).doesNotContain("allUsers").doesNotContain("allAuthenticatedUsers");
    assertThat(all)
        .doesNotContain("roles/owner")
        .doesNotContain("roles/editor")
        .doesNotContain("roles/viewer\"");
  }

  @Test
  void everyTopicOfTheDesignExists() {
    Matcher m = Pattern.compile("topics\\s*=\\s*\\[([^\\]]*)]").matcher(all);
    assertThat(m.find()).isTrue();
    for (String topic : FunctionCatalog.TOPICS) {
      assertThat(m.group(1)).contains("\"" + topic + "\"");
    }
  }

  @Test
  void theGatewayIsConfiguredFromTheSameOpenApiFile() {
    Block config = ofType("google_api_gateway_api_config").get(0);
    assertThat(config.body()).contains("templatefile(\"${path.module}/openapi.yaml\"");
    for (FunctionSpec fn : FunctionCatalog.functions()) {
      if (fn.signature().equals("http")) {
        assertThat(config.body()).contains(fn.name().replace('-', '_') + "_url");
      }
    }
  }

  @Test
  void cloudBuildTestsWithTheReadmeCommandThenPackagesAndDeploysEveryFunction() throws IOException {
    Path root = ProjectLayout.locate().root();
    com.fasterxml.jackson.databind.JsonNode build =
        new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
            .readTree(root.resolve("cloudbuild.yaml").toFile());
    Map<String, String> steps = new HashMap<>();
    build.path("steps").forEach(step -> steps.put(step.path("id").asText(), step.toString()));
    assertThat(steps).containsKeys("test", "package", "upload", "deploy");
    assertThat(steps.get("test")).contains("local/test");
    assertThat(Files.readString(root.resolve("README.md"))).contains("local/test");
    for (FunctionSpec fn : FunctionCatalog.functions()) {
      assertThat(steps.get("package")).contains("functions/" + fn.name());
      // One zip per function, named as infra/functions.tf expects: <name>-<commit>.zip.
      assertThat(steps.get("package"))
          .containsPattern("for fn in [^;]*(?<![\\w-])" + Pattern.quote(fn.name()) + "(?![\\w-])")
          .contains("$fn-${SHORT_SHA}.zip");
      assertThat(all).contains("\"" + fn.name() + "-${var.source_version}.zip\"");
    }
    assertThat(steps.get("deploy")).contains("terraform apply");
  }

  @Test
  void bucketsArePrivateAndFinishedUploadsAreAnnounced() {
    List<Block> buckets = ofType("google_storage_bucket");
    assertThat(buckets).extracting(Block::name).contains("uploads", "files");
    for (Block bucket : buckets) {
      assertThat(bucket.attribute("uniform_bucket_level_access"))
          .as(bucket.name())
          .contains("true");
      assertThat(bucket.attribute("public_access_prevention"))
          .as(bucket.name())
          .contains("\"enforced\"");
    }
    Block notification = ofType("google_storage_notification").get(0);
    assertThat(notification.attribute("bucket")).contains("google_storage_bucket.uploads.name");
    assertThat(notification.body())
        .contains("upload-finalized")
        .contains("OBJECT_FINALIZE")
        .contains("JSON_API_V1");
  }
}
