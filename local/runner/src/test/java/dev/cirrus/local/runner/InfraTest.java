package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.local.emulators.ProjectLayout;
import dev.cirrus.shared.files.FileRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules we hold {@code infra/} to, checked on the Terraform files as Terraform's own parser
 * reads them ({@link TerraformConfig}). The delivery pipeline and its bootstrap are held to theirs
 * in {@link DeliveryInfraTest}.
 */
class InfraTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path root;
  private static TerraformConfig infra;
  private static JsonNode tf;

  @BeforeAll
  static void parse() throws Exception {
    root = ProjectLayout.locate().root();
    infra = TerraformConfig.parse(root, root.resolve("infra"));
    tf = infra.tree();
  }

  private static Map<String, JsonNode> ofType(String type) {
    return infra.ofType(type);
  }

  private static JsonNode only(String type, String name) {
    return infra.only(type, name);
  }

  private static List<String> strings(JsonNode array) {
    return TerraformConfig.strings(array);
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
    JsonNode managed = infra.local("managed_accounts");
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
  void theFilesFunctionCannotOverwriteAnOriginal() {
    ofType("google_storage_bucket_iam_member")
        .forEach(
            (name, binding) -> {
              if (binding.path("member").asText().contains("google_service_account.files.")) {
                assertThat(binding.path("role").asText())
                    .as(name)
                    .isIn("roles/storage.objectViewer", "${local.custom_roles.object_deleter}");
              }
            });
    // The role itself is the bootstrap's: DeliveryInfraTest holds it to delete alone.
  }

  @Test
  void nothingIsPublicAndNoPrimitiveRolesAreGranted() {
    List<String> all = infra.allStrings();
    assertThat(all).noneMatch(s -> s.contains("allUsers") || s.contains("allAuthenticatedUsers"));
    assertThat(all).doesNotContain("roles/owner", "roles/editor", "roles/viewer");
  }

  @Test
  void everyTopicOfTheDesignExists() {
    assertThat(only("google_pubsub_topic", "topics").path("for_each").asText())
        .isEqualTo("${toset(local.topics)}");
    assertThat(strings(infra.local("topics"))).containsAll(FunctionCatalog.TOPICS);
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
    assertThat(infra.local("firebase_config").asText())
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
            .matcher(infra.local(local).asText());
    assertThat(m.matches()).as(local + " = " + infra.local(local)).isTrue();
    return root.resolve("infra")
        .resolve("../emulator-config")
        .resolve(firebase.path(m.group(1)).path("rules").asText())
        .normalize();
  }

  @Test
  void httpFunctionsStartWithTheC1CompilerOnlyAndEventFunctionsKeepC2() {
    assertThat(infra.local("http_start").path("JAVA_TOOL_OPTIONS").asText())
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
  void everyFunctionExportsItsSpansToCloudTraceAsItselfSampledByTraceId() {
    Pattern own = Pattern.compile("^\\$\\{google_service_account\\.([a-z0-9_]+)\\.email}$");
    List<String> running = new ArrayList<>();
    ofType("google_cloudfunctions2_function")
        .forEach(
            (name, fn) -> {
              Matcher m =
                  own.matcher(
                      fn.path("service_config").get(0).path("service_account_email").asText());
              assertThat(m.matches()).as(name).isTrue();
              running.add(m.group(1));
            });
    List<String> writers = new ArrayList<>();
    infra
        .local("function_accounts")
        .forEach(
            account -> {
              Matcher m = own.matcher(account.asText());
              assertThat(m.matches()).as(account.asText()).isTrue();
              writers.add(m.group(1));
            });
    assertThat(writers).containsExactlyInAnyOrderElementsOf(running);
    JsonNode grant = infra.only("google_project_iam_member", "traces_writer");
    assertThat(grant.path("for_each").asText()).isEqualTo("${local.function_accounts}");
    assertThat(grant.path("role").asText()).isEqualTo("roles/telemetry.tracesWriter");
    assertThat(TerraformConfig.strings(infra.local("services")))
        .contains("telemetry.googleapis.com", "cloudtrace.googleapis.com");
    JsonNode env = infra.local("function_env");
    assertThat(env.path("OTEL_TRACES_SAMPLER").asText()).isEqualTo("traceidratio");
    assertThat(env.path("OTEL_TRACES_SAMPLER_ARG").asText()).contains("var.trace_sample_ratio");
  }

  @Test
  void appCheckIsMonitoredByDefaultAgainstFirebasesOwnKeys() {
    JsonNode env = infra.local("function_env");
    assertThat(env.path("CIRRUS_APP_CHECK_PROJECT_NUMBER").asText())
        .isEqualTo("${data.google_project.current.number}");
    assertThat(env.path("CIRRUS_APP_CHECK").asText()).isEqualTo("${var.app_check.all}");
    assertThat(tf.path("variable").path("app_check").get(0).path("type").asText())
        .contains("optional(string, \"monitor\")");
    // Keys of one's own are the local stack's, for demo projects only.
    assertThat(infra.allStrings()).noneMatch(s -> s.contains("CIRRUS_APP_CHECK_JWKS_URL"));
  }

  @Test
  void httpFunctionsReachAPrivateRedisThroughTheConnectorWithItsAuthFromSecretManager() {
    JsonNode redis = only("google_redis_instance", "cirrus");
    assertThat(redis.path("auth_enabled").asBoolean()).isTrue();
    assertThat(redis.path("authorized_network").asText())
        .isEqualTo("${google_compute_network.cirrus.id}");
    assertThat(infra.local("front_door").path("CIRRUS_REDIS_URL").asText())
        .contains("google_redis_instance.cirrus.host");
    int http = 0;
    for (var e : ofType("google_cloudfunctions2_function").entrySet()) {
      JsonNode service = e.getValue().path("service_config").get(0);
      if (!service.path("environment_variables").asText().contains("local.http_start")) {
        continue;
      }
      http++;
      assertThat(service.path("environment_variables").asText())
          .as(e.getKey())
          .contains("local.front_door");
      assertThat(service.path("vpc_connector").asText())
          .as(e.getKey())
          .isEqualTo("${google_vpc_access_connector.cirrus.id}");
      assertThat(service.path("vpc_connector_egress_settings").asText())
          .isEqualTo("PRIVATE_RANGES_ONLY");
      assertThat(service.path("secret_environment_variables").get(0).path("key").asText())
          .isEqualTo("CIRRUS_REDIS_AUTH");
    }
    assertThat(http).isEqualTo(5);
    // The two event functions that change quotas evict cached user records.
    for (String evicting : List.of("process_upload", "sweeper")) {
      JsonNode service =
          only("google_cloudfunctions2_function", evicting).path("service_config").get(0);
      assertThat(service.path("environment_variables").asText())
          .as(evicting)
          .contains("local.front_door");
      assertThat(service.path("vpc_connector").asText())
          .as(evicting)
          .isEqualTo("${google_vpc_access_connector.cirrus.id}");
      assertThat(service.path("secret_environment_variables").get(0).path("key").asText())
          .as(evicting)
          .isEqualTo("CIRRUS_REDIS_AUTH");
    }
    assertThat(
            only("google_secret_manager_secret_iam_member", "redis_auth_readers")
                .path("role")
                .asText())
        .isEqualTo("roles/secretmanager.secretAccessor");
  }

  @Test
  void onlyRequestsThroughTheLoadBalancerCarryTheKeyTheHttpFunctionsRequire() {
    JsonNode backend = only("google_compute_backend_service", "api");
    assertThat(backend.path("custom_request_headers").get(0).asText())
        .isEqualTo("X-Cirrus-Edge: ${random_password.edge_key.result}");
    assertThat(only("random_password", "edge_key").path("length").asInt())
        .isGreaterThanOrEqualTo(32);
    int http = 0;
    for (var e : ofType("google_cloudfunctions2_function").entrySet()) {
      JsonNode service = e.getValue().path("service_config").get(0);
      List<String> secrets = new ArrayList<>();
      service
          .path("secret_environment_variables")
          .forEach(v -> secrets.add(v.path("key").asText()));
      boolean httpFunction =
          service.path("environment_variables").asText().contains("local.http_start");
      assertThat(secrets.contains("CIRRUS_EDGE_KEY")).as(e.getKey()).isEqualTo(httpFunction);
      if (httpFunction) {
        http++;
        assertThat(e.getValue().path("depends_on").toString())
            .as(e.getKey() + " deploys after the key's version and its access")
            .contains("google_secret_manager_secret_version.edge_key")
            .contains("google_secret_manager_secret_iam_member.edge_key_readers");
      }
    }
    assertThat(http).isEqualTo(5);
    JsonNode readers = only("google_secret_manager_secret_iam_member", "edge_key_readers");
    assertThat(readers.path("role").asText()).isEqualTo("roles/secretmanager.secretAccessor");
    assertThat(readers.path("for_each").toString())
        .contains("users", "uploads", "files", "notifications", "admin")
        .doesNotContain("process_upload", "notify", "sweeper", "dead_letters");
  }

  @Test
  void theApiIsBehindCloudArmorWithWafRulesSizeLimitsAndAPerAddressThrottle() {
    JsonNode policy = only("google_compute_security_policy", "edge");
    String all = policy.toString();
    for (String waf : List.of("sqli-v33-stable", "xss-v33-stable", "rce-v33-stable")) {
      assertThat(all).contains(waf);
    }
    assertThat(all).contains("content-length").contains("request.path.size()");
    JsonNode throttle = null;
    for (JsonNode rule : policy.path("rule")) {
      if ("throttle".equals(rule.path("action").asText())) {
        throttle = rule;
      }
    }
    assertThat(throttle).as("a throttle rule").isNotNull();
    JsonNode options = throttle.path("rate_limit_options").get(0);
    assertThat(options.path("enforce_on_key").asText()).isEqualTo("IP");
    assertThat(options.path("exceed_action").asText()).isEqualTo("deny(429)");
    assertThat(only("google_compute_backend_service", "api").path("security_policy").asText())
        .isEqualTo("${google_compute_security_policy.edge.id}");
    assertThat(
            only("google_compute_region_network_endpoint_group", "gateway")
                .path("serverless_deployment")
                .get(0)
                .path("platform")
                .asText())
        .isEqualTo("apigateway.googleapis.com");
  }

  @Test
  void finishedUploadsExpireThroughAFirestoreTtlPolicy() {
    JsonNode ttl = only("google_firestore_field", "uploads_purge");
    assertThat(ttl.path("collection").asText()).isEqualTo("uploads");
    assertThat(ttl.path("field").asText()).isEqualTo("purgeAt");
    assertThat(ttl.has("ttl_config")).isTrue();
  }

  @Test
  void corsOriginsAreTheHostedWebAppsAndThoseNamedJoinedForTheFunctionsAndTheBucket() {
    JsonNode variable = tf.path("variable").path("cors_origins").get(0);
    assertThat(variable.path("type").asText()).isEqualTo("${list(string)}");
    assertThat(variable.path("default").size()).as("no other origin unless one is named").isZero();
    assertThat(infra.local("cors_origins").asText())
        .contains("local.hosting_origins")
        .contains("var.cors_origins");
    assertThat(TerraformConfig.strings(infra.local("hosting_origins")))
        .allMatch(
            origin -> origin.startsWith("https://${google_firebase_hosting_site.web.site_id}"));
    assertThat(infra.local("function_env").path("CIRRUS_CORS_ORIGINS").asText())
        .isEqualTo("${join(\",\", local.cors_origins)}");
    JsonNode cors = only("google_storage_bucket", "uploads").path("dynamic").path("cors");
    assertThat(cors.get(0).path("for_each").toString()).contains("local.cors_origins");
    assertThat(cors.get(0).path("content").get(0).path("origin").asText())
        .isEqualTo("${cors.value}");
    // The chunked PUT's preflight and its answer: Content-Range asked, Range read back.
    assertThat(strings(cors.get(0).path("content").get(0).path("response_header")))
        .contains("Content-Range", "Range");
  }

  @Test
  void theWebAppIsHostedWithAppCheckOnRecaptchaEnterpriseAndItsConfigIsAnOutput() {
    JsonNode site = only("google_firebase_hosting_site", "web");
    assertThat(site.path("app_id").asText()).isEqualTo("${google_firebase_web_app.web.app_id}");
    JsonNode appCheck = only("google_firebase_app_check_recaptcha_enterprise_config", "web");
    assertThat(appCheck.path("site_key").asText())
        .isEqualTo("${google_recaptcha_enterprise_key.web.name}");
    JsonNode key = only("google_recaptcha_enterprise_key", "web");
    assertThat(key.path("web_settings").get(0).path("allow_all_domains").asBoolean()).isFalse();
    JsonNode config = tf.path("output").path("web_config").get(0).path("value");
    for (String field :
        new String[] {"apiUrl", "projectId", "apiKey", "appId", "recaptchaSiteKey"}) {
      assertThat(config.has(field)).as(field).isTrue();
    }
    assertThat(TerraformConfig.strings(infra.local("services")))
        .contains(
            "firebasehosting.googleapis.com",
            "firebaseappcheck.googleapis.com",
            "recaptchaenterprise.googleapis.com");
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

  @Test
  void firestoreHasPointInTimeRecoveryAndDailyAndWeeklyBackups() {
    assertThat(
            only("google_firestore_database", "default")
                .path("point_in_time_recovery_enablement")
                .asText())
        .isEqualTo("POINT_IN_TIME_RECOVERY_ENABLED");
    JsonNode daily = only("google_firestore_backup_schedule", "daily");
    assertThat(daily.has("daily_recurrence")).isTrue();
    assertThat(daily.path("retention").asText()).isEqualTo(Duration.ofDays(7).toSeconds() + "s");
    JsonNode weekly = only("google_firestore_backup_schedule", "weekly");
    assertThat(weekly.has("weekly_recurrence")).isTrue();
    assertThat(weekly.path("retention").asText())
        .isEqualTo(Duration.ofDays(14 * 7).toSeconds() + "s");
  }

  @Test
  void bothBucketsKeepDeletedObjectsAsLongAsATombstoneSaysWhatTheyWere() {
    assertThat(infra.local("soft_delete_seconds").asLong())
        .isEqualTo(FileRecord.TOMBSTONE_RETENTION.toSeconds());
    for (String bucket : List.of("uploads", "files")) {
      assertThat(
              only("google_storage_bucket", bucket)
                  .path("soft_delete_policy")
                  .get(0)
                  .path("retention_duration_seconds")
                  .asText())
          .as(bucket)
          .isEqualTo("${local.soft_delete_seconds}");
    }
  }

  @Test
  void theSweeperFindsOldTombstonesByIndexAndMayOnlyDeleteTheirBytes() {
    JsonNode index = only("google_firestore_index", "files_by_update");
    assertThat(index.path("collection").asText()).isEqualTo("files");
    assertThat(index.path("fields").findValuesAsText("field_path"))
        .containsExactly("status", "updatedAt");
    JsonNode deleter = only("google_storage_bucket_iam_member", "sweeper_deletes_files_objects");
    assertThat(deleter.path("bucket").asText()).isEqualTo("${google_storage_bucket.files.name}");
    assertThat(deleter.path("role").asText()).isEqualTo("${local.custom_roles.object_deleter}");
  }
}
