package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cirrus.local.emulators.ProjectLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules we hold {@code infra/} to, checked on the Terraform files as HashiCorp's own HCL parser
 * reads them ({@code local/infra-check}, @cdktf/hcl2json): the google provider cannot be downloaded
 * here, so {@code terraform validate} cannot run. Expressions come back as {@code ${...}} strings,
 * attributes and blocks as JSON.
 */
class InfraTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path root;
  private static JsonNode tf;
  private static Map<String, JsonNode> locals;

  @BeforeAll
  static void parse() throws Exception {
    root = ProjectLayout.locate().root();
    Path script = root.resolve("local/infra-check/tf2json.mjs");
    Process node =
        new ProcessBuilder("node", script.toString(), root.resolve("infra").toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    byte[] out = node.getInputStream().readAllBytes();
    assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("the HCL parser finished").isTrue();
    assertThat(node.exitValue())
        .as("node %s (its node_modules come from local/test)", script)
        .isZero();
    tf = JSON.readTree(out);
    locals = new LinkedHashMap<>();
    tf.path("locals")
        .forEach(block -> block.properties().forEach(e -> locals.put(e.getKey(), e.getValue())));
  }

  /** The resources of one type, by name: each body as parsed (blocks are arrays). */
  private static Map<String, JsonNode> ofType(String type) {
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    tf.path("resource")
        .path(type)
        .properties()
        .forEach(e -> byName.put(e.getKey(), e.getValue().get(0)));
    return byName;
  }

  private static JsonNode only(String type, String name) {
    JsonNode body = ofType(type).get(name);
    assertThat(body).as(type + "." + name).isNotNull();
    return body;
  }

  /** Every string value anywhere in the configuration. */
  private static List<String> allStrings(JsonNode node) {
    List<String> strings = new ArrayList<>();
    collect(node, strings);
    return strings;
  }

  private static void collect(JsonNode node, List<String> into) {
    if (node.isTextual()) {
      into.add(node.asText());
    }
    node.elements().forEachRemaining(child -> collect(child, into));
  }

  private static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(e -> list.add(e.asText()));
    return list;
  }

  @Test
  void parserFindsTheResources() {
    assertThat(tf.path("resource").size()).isGreaterThan(10);
    assertThat(ofType("google_service_account")).isNotEmpty();
  }

  @Test
  void everyFunctionOfTheCatalogIsDeployed() {
    List<String> names =
        ofType("google_cloudfunctions2_function").values().stream()
            .map(f -> f.path("name").asText())
            .toList();
    assertThat(names)
        .containsExactlyInAnyOrderElementsOf(
            FunctionCatalog.functions().stream().map(FunctionSpec::name).toList());
  }

  @Test
  void everyFunctionRunsAsItsOwnServiceAccount() {
    Map<String, String> accountOf = new HashMap<>();
    Pattern own = Pattern.compile("^\\$\\{google_service_account\\.([a-z0-9_]+)\\.email}$");
    ofType("google_cloudfunctions2_function")
        .forEach(
            (name, fn) -> {
              String account =
                  fn.path("service_config").get(0).path("service_account_email").asText();
              Matcher m = own.matcher(account);
              assertThat(m.matches())
                  .as(name + " must use a google_service_account it owns")
                  .isTrue();
              assertThat(accountOf.values())
                  .as("shared service account")
                  .doesNotContain(m.group(1));
              accountOf.put(name, m.group(1));
            });
    assertThat(accountOf).isNotEmpty();
  }

  @Test
  void onlyTheGatewayMayInvokeHttpFunctionsAndOnlyTheirTriggerEventFunctions() {
    Map<String, JsonNode> functions = ofType("google_cloudfunctions2_function");
    Map<String, JsonNode> invokers = new LinkedHashMap<>();
    ofType("google_cloud_run_service_iam_member")
        .forEach(
            (name, binding) -> {
              if (binding.path("role").asText().equals("roles/run.invoker")) {
                invokers.put(name, binding);
              }
            });
    assertThat(invokers).hasSameSizeAs(functions);
    Pattern service =
        Pattern.compile("^\\$\\{google_cloudfunctions2_function\\.([a-z0-9_]+)\\.name}$");
    invokers.forEach(
        (name, binding) -> {
          Matcher m = service.matcher(binding.path("service").asText());
          assertThat(m.matches()).as(name + " invokes a function").isTrue();
          JsonNode function = functions.get(m.group(1));
          assertThat(function).as(name).isNotNull();
          String expected =
              function.has("event_trigger")
                  ? "serviceAccount:"
                      + function.path("event_trigger").get(0).path("service_account_email").asText()
                  : "serviceAccount:${google_service_account.gateway.email}";
          assertThat(binding.path("member").asText()).as(name).isEqualTo(expected);
        });
  }

  @Test
  void eventFunctionsAreTriggeredByTheirTopicsAndRetried() {
    Map<String, JsonNode> byName = new HashMap<>();
    ofType("google_cloudfunctions2_function")
        .values()
        .forEach(f -> byName.put(f.path("name").asText(), f));
    for (FunctionSpec fn : FunctionCatalog.functions()) {
      if (fn.signature().equals("cloudevent")) {
        JsonNode trigger = byName.get(fn.name()).path("event_trigger").get(0);
        assertThat(trigger.path("retry_policy").asText()).isEqualTo("RETRY_POLICY_RETRY");
        // A function has one event_trigger; its other topics come through Eventarc triggers
        // on the same service, as the same trigger account.
        Set<String> delivered = new HashSet<>();
        delivered.add(trigger.path("pubsub_topic").asText());
        String resource = functionResource(fn.name());
        ofType("google_eventarc_trigger")
            .values()
            .forEach(
                extra -> {
                  if (extra
                      .path("destination")
                      .get(0)
                      .path("cloud_run_service")
                      .get(0)
                      .path("service")
                      .asText()
                      .equals("${google_cloudfunctions2_function." + resource + ".name}")) {
                    assertThat(extra.path("service_account").asText())
                        .isEqualTo(trigger.path("service_account_email").asText());
                    delivered.add(
                        extra
                            .path("transport")
                            .get(0)
                            .path("pubsub")
                            .get(0)
                            .path("topic")
                            .asText());
                  }
                });
        assertThat(delivered)
            .as(fn.name())
            .containsExactlyInAnyOrderElementsOf(
                fn.topics().stream()
                    .map(topic -> "${google_pubsub_topic.topics[\"" + topic + "\"].id}")
                    .toList());
      }
    }
  }

  private String functionResource(String name) {
    return ofType("google_cloudfunctions2_function").entrySet().stream()
        .filter(e -> e.getValue().path("name").asText().equals(name))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theDeployerAdministersEveryAccountItCreatesOneByOne() {
    JsonNode managed = locals.get("managed_accounts");
    for (String account : ofType("google_service_account").keySet()) {
      if (!account.equals("deployer")) {
        String name = "${google_service_account." + account + ".name}";
        assertThat(
                ofType("google_service_account_iam_member").values().stream()
                    .filter(b -> b.path("role").asText().equals("roles/iam.serviceAccountUser"))
                    .map(b -> b.path("service_account_id").asText()))
            .as("the deployer may deploy as " + account)
            .contains(name);
        assertThat(managed.path(account).asText()).as(account).isEqualTo(name);
      }
    }
    JsonNode admin = only("google_service_account_iam_member", "deployer_administers_account");
    assertThat(admin.path("for_each").asText()).isEqualTo("${local.managed_accounts}");
    assertThat(admin.path("role").asText()).isEqualTo("roles/iam.serviceAccountAdmin");
  }

  @Test
  void theDeployerHoldsNoProjectWideIamOrServiceAccountAdmin() {
    List<String> roles = strings(locals.get("deployer_roles"));
    assertThat(roles)
        .isNotEmpty()
        .doesNotContain(
            "roles/iam.serviceAccountAdmin",
            "roles/resourcemanager.projectIamAdmin",
            "roles/iam.securityAdmin",
            "roles/iam.serviceAccountTokenCreator",
            "roles/owner",
            "roles/editor");
    JsonNode iamAdmin = only("google_project_iam_member", "deployer_grants_delegated_roles");
    assertThat(iamAdmin.path("role").asText()).isEqualTo("roles/resourcemanager.projectIamAdmin");
    assertThat(iamAdmin.path("condition").get(0).path("expression").asText())
        .startsWith("api.getAttribute('iam.googleapis.com/modifiedGrantsByRole', []).hasOnly(")
        .contains("local.delegated_roles");
    // Every other project-level grant is one the deployer may make.
    List<String> delegated = strings(locals.get("delegated_roles"));
    ofType("google_project_iam_member")
        .forEach(
            (name, binding) -> {
              if (!binding.path("member").asText().contains("google_service_account.deployer")) {
                assertThat(delegated).as(name).contains(binding.path("role").asText());
              }
            });
  }

  @Test
  void theFilesFunctionCannotOverwriteAnOriginal() {
    ofType("google_storage_bucket_iam_member")
        .forEach(
            (name, binding) -> {
              if (binding.path("member").asText().contains("google_service_account.files.")) {
                assertThat(binding.path("role").asText())
                    .as(name)
                    .isIn(
                        "roles/storage.objectViewer",
                        "${google_project_iam_custom_role.object_deleter.name}");
              }
            });
    assertThat(
            strings(only("google_project_iam_custom_role", "object_deleter").path("permissions")))
        .containsExactly("storage.objects.delete");
  }

  @Test
  void nothingIsPublicAndNoPrimitiveRolesAreGranted() {
    List<String> all = allStrings(tf);
    assertThat(all).noneMatch(s -> s.contains("allUsers") || s.contains("allAuthenticatedUsers"));
    assertThat(all).doesNotContain("roles/owner", "roles/editor", "roles/viewer");
  }

  @Test
  void everyTopicOfTheDesignExists() {
    assertThat(only("google_pubsub_topic", "topics").path("for_each").asText())
        .isEqualTo("${toset(local.topics)}");
    assertThat(strings(locals.get("topics"))).containsAll(FunctionCatalog.TOPICS);
  }

  @Test
  void theGatewayIsConfiguredFromTheSameOpenApiFile() {
    JsonNode document =
        only("google_api_gateway_api_config", "cirrus")
            .path("openapi_documents")
            .get(0)
            .path("document")
            .get(0);
    String contents = document.path("contents").asText();
    assertThat(contents).contains("templatefile(\"${path.module}/openapi.yaml\"");
    for (FunctionSpec fn : FunctionCatalog.functions()) {
      if (fn.signature().equals("http")) {
        assertThat(contents).contains(fn.name().replace('-', '_') + "_url");
      }
    }
  }

  @Test
  void deployedRulesAreTheFilesTheEmulatorsLoad() throws IOException {
    // infra/rules.tf takes the file names from emulator-config/firebase.json, as the stack does.
    assertThat(locals.get("firebase_config").asText())
        .isEqualTo("${jsondecode(file(\"${path.module}/../emulator-config/firebase.json\"))}");
    JsonNode firebase = JSON.readTree(root.resolve("emulator-config/firebase.json").toFile());
    Path firestore = rulesFile("firestore_rules", firebase);
    assertThat(firestore).isEqualTo(ProjectLayout.locate().firestoreRules().normalize());
    Path storage = rulesFile("storage_rules", firebase);
    assertThat(storage).isEqualTo(root.resolve("emulator-config/storage.rules").normalize());
    assertThat(Files.readString(storage)).contains("allow read, write: if false");

    for (String rules : List.of("firestore", "storage")) {
      JsonNode file =
          only("google_firebaserules_ruleset", rules).path("source").get(0).path("files");
      assertThat(file.get(0).path("content").asText())
          .isEqualTo("${file(local." + rules + "_rules)}");
    }
    JsonNode firestoreRelease = only("google_firebaserules_release", "firestore");
    assertThat(firestoreRelease.path("name").asText()).isEqualTo("cloud.firestore");
    assertThat(firestoreRelease.path("ruleset_name").asText())
        .isEqualTo("${google_firebaserules_ruleset.firestore.name}");
    JsonNode storageRelease = only("google_firebaserules_release", "storage");
    assertThat(storageRelease.path("name").asText()).isEqualTo("firebase.storage/${each.value}");
    assertThat(storageRelease.path("for_each").asText())
        .contains("google_storage_bucket.uploads.name")
        .contains("google_storage_bucket.files.name");
  }

  /** Evaluates {@code ${path.module}/../emulator-config/${local.firebase_config.X.rules}}. */
  private static Path rulesFile(String local, JsonNode firebase) {
    Matcher m =
        Pattern.compile(
                "^\\$\\{path\\.module}/\\.\\./emulator-config/\\$\\{local\\.firebase_config\\.([a-z]+)\\.rules}$")
            .matcher(locals.get(local).asText());
    assertThat(m.matches()).as(local + " = " + locals.get(local)).isTrue();
    return root.resolve("infra")
        .resolve("../emulator-config")
        .resolve(firebase.path(m.group(1)).path("rules").asText())
        .normalize();
  }

  @Test
  void httpFunctionsStartWithTheC1CompilerOnlyAndEventFunctionsKeepC2() {
    assertThat(locals.get("http_start").path("JAVA_TOOL_OPTIONS").asText())
        .isEqualTo("-XX:TieredStopAtLevel=1");
    for (String http : List.of("users", "uploads", "files", "notifications", "admin")) {
      JsonNode function = only("google_cloudfunctions2_function", http);
      assertThat(function.has("event_trigger")).as(http).isFalse();
      assertThat(environment(function)).as(http).contains("local.http_start");
    }
    for (String event : List.of("process_upload", "notify", "dead_letters", "sweeper")) {
      JsonNode function = only("google_cloudfunctions2_function", event);
      assertThat(function.has("event_trigger")).as(event).isTrue();
      assertThat(environment(function)).as(event).doesNotContain("http_start");
    }
  }

  private static String environment(JsonNode function) {
    return function.path("service_config").get(0).path("environment_variables").asText();
  }

  @Test
  void corsOriginsIsAListJoinedForTheFunctions() {
    JsonNode variable = tf.path("variable").path("cors_origins").get(0);
    assertThat(variable.path("type").asText()).isEqualTo("${list(string)}");
    assertThat(locals.get("function_env").path("CIRRUS_CORS_ORIGINS").asText())
        .isEqualTo("${join(\",\", var.cors_origins)}");
    assertThat(only("google_storage_bucket", "uploads").path("cors").get(0).path("origin").asText())
        .isEqualTo("${var.cors_origins}");
  }

  @Test
  void everyImageIsPinnedToAnExactVersion() throws IOException {
    JsonNode build =
        new ObjectMapper(new YAMLFactory()).readTree(root.resolve("cloudbuild.yaml").toFile());
    Pattern exact = Pattern.compile("^[a-z0-9./_-]+:\\d+\\.\\d+\\.\\d+(-[a-z0-9]+)?$");
    String builder = build.path("substitutions").path("_BUILDER").asText();
    assertThat(builder).doesNotContain(":");
    for (JsonNode step : build.path("steps")) {
      String image = step.path("name").asText();
      if (image.startsWith("${_BUILDER}")) {
        // Built by the first step from infra/ci/Dockerfile, tagged with this commit.
        assertThat(image).isEqualTo("${_BUILDER}:${SHORT_SHA}");
      } else {
        assertThat(image).as(step.path("id").asText()).matches(exact);
      }
    }
    List<String> dockerfile =
        Files.readAllLines(root.resolve("infra/ci/Dockerfile"), StandardCharsets.UTF_8);
    for (String line : dockerfile) {
      if (line.startsWith("FROM ")) {
        assertThat(line.substring(5).trim()).matches(exact);
      }
      Matcher cli = Pattern.compile("google-cloud-cli[a-z-]*(=\\S+)?").matcher(line);
      while (cli.find()) {
        assertThat(cli.group()).as("a Cloud SDK package with its version").contains("=");
      }
    }
  }

  @Test
  void cloudBuildTestsWithTheReadmeCommandThenPackagesAndDeploysEveryFunction() throws IOException {
    JsonNode build =
        new ObjectMapper(new YAMLFactory()).readTree(root.resolve("cloudbuild.yaml").toFile());
    Map<String, String> steps = new HashMap<>();
    build.path("steps").forEach(step -> steps.put(step.path("id").asText(), step.toString()));
    assertThat(steps).containsKeys("test", "package", "upload", "deploy");
    assertThat(steps.get("test")).contains("local/test");
    assertThat(Files.readString(root.resolve("README.md"))).contains("local/test");
    Set<String> objects = new HashSet<>();
    ofType("google_cloudfunctions2_function")
        .values()
        .forEach(
            f ->
                objects.add(
                    f.path("build_config")
                        .get(0)
                        .path("source")
                        .get(0)
                        .path("storage_source")
                        .get(0)
                        .path("object")
                        .asText()));
    for (FunctionSpec fn : FunctionCatalog.functions()) {
      assertThat(steps.get("package")).contains("functions/" + fn.name());
      // One zip per function, named as infra/functions.tf expects: <name>-<commit>.zip.
      assertThat(steps.get("package"))
          .containsPattern("for fn in [^;]*(?<![\\w-])" + Pattern.quote(fn.name()) + "(?![\\w-])")
          .contains("$fn-${SHORT_SHA}.zip");
      assertThat(objects).contains(fn.name() + "-${var.source_version}.zip");
    }
    assertThat(steps.get("deploy")).contains("terraform apply");
  }

  @Test
  void bucketsArePrivateAndFinishedUploadsAreAnnounced() {
    Map<String, JsonNode> buckets = ofType("google_storage_bucket");
    assertThat(buckets).containsKeys("uploads", "files");
    buckets.forEach(
        (name, bucket) -> {
          assertThat(bucket.path("uniform_bucket_level_access").asBoolean()).as(name).isTrue();
          assertThat(bucket.path("public_access_prevention").asText())
              .as(name)
              .isEqualTo("enforced");
        });
    JsonNode notification = only("google_storage_notification", "upload_finalized");
    assertThat(notification.path("bucket").asText())
        .isEqualTo("${google_storage_bucket.uploads.name}");
    assertThat(notification.path("topic").asText()).contains("upload-finalized");
    assertThat(strings(notification.path("event_types"))).containsExactly("OBJECT_FINALIZE");
    assertThat(notification.path("payload_format").asText()).isEqualTo("JSON_API_V1");
  }

  @Test
  void theSweeperIsTickedEveryFiveMinutesAndOnlyListedProducersMayAskForNotifications() {
    JsonNode job = only("google_cloud_scheduler_job", "maintenance_tick");
    assertThat(job.path("schedule").asText()).isEqualTo("*/5 * * * *");
    JsonNode target = job.path("pubsub_target").get(0);
    assertThat(target.path("topic_name").asText()).contains("maintenance-tick");
    assertThat(target.path("data").asText()).isEqualTo("${base64encode(\"{}\")}");

    JsonNode publishers = only("google_pubsub_topic_iam_member", "notification_publishers");
    assertThat(publishers.path("for_each").asText())
        .isEqualTo("${toset(var.notification_publishers)}");
    assertThat(publishers.path("topic").asText()).contains("notification-requests");
    assertThat(publishers.path("role").asText()).isEqualTo("roles/pubsub.publisher");
    JsonNode variable = tf.path("variable").path("notification_publishers").get(0);
    assertThat(variable.path("type").asText()).isEqualTo("${list(string)}");
    assertThat(variable.path("default").size()).as("nobody by default").isZero();
  }
}
