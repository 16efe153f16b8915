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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The delivery pipeline: the bootstrap an owner applies once ({@code infra/bootstrap/}), the test
 * build ({@code cloudbuild.yaml}) and the deploy build ({@code cloudbuild-deploy.yaml}). The rule
 * they keep: nothing the pipeline runs can give itself more than it was given.
 */
class DeliveryInfraTest {
  /**
   * Predefined roles that change project IAM, edit roles, or mint credentials for service accounts
   * (Google's IAM roles reference): holding or granting any of them project-wide is a way to become
   * owner. The predefined roles' permission lists are not available offline, so these are named;
   * custom roles are checked by their permissions below.
   */
  private static final Set<String> PROMOTING_ROLES =
      Set.of(
          "roles/owner",
          "roles/editor",
          "roles/iam.roleAdmin",
          "roles/iam.organizationRoleAdmin",
          "roles/iam.securityAdmin",
          "roles/iam.serviceAccountAdmin",
          "roles/iam.serviceAccountKeyAdmin",
          "roles/iam.serviceAccountTokenCreator",
          "roles/iam.serviceAccountUser",
          "roles/iam.workloadIdentityUser",
          "roles/iam.workloadIdentityPoolAdmin",
          "roles/resourcemanager.projectIamAdmin",
          "roles/cloudfunctions.admin",
          "roles/cloudbuild.builds.editor",
          "roles/cloudbuild.builds.builder");

  /** Permissions that change IAM policy or roles, or mint a credential. */
  private static final Pattern PROMOTING_PERMISSION =
      Pattern.compile(
          "(.*\\.setIamPolicy|iam\\.roles\\..*|iam\\.serviceAccountKeys\\..*"
              + "|iam\\.serviceAccounts\\.(actAs|getAccessToken|getOpenIdToken|signBlob|signJwt"
              + "|implicitDelegation|setIamPolicy)|resourcemanager\\..*|orgpolicy\\..*"
              + "|cloudbuild\\..*|iam\\.workloadIdentityPool.*)");

  private static Path root;
  private static TerraformConfig infra;
  private static TerraformConfig bootstrap;

  @BeforeAll
  static void parse() throws Exception {
    root = ProjectLayout.locate().root();
    infra = TerraformConfig.parse(root, root.resolve("infra"));
    bootstrap = TerraformConfig.parse(root, root.resolve("infra/bootstrap"));
  }

  private static JsonNode build(String file) throws IOException {
    return new ObjectMapper(new YAMLFactory()).readTree(root.resolve(file).toFile());
  }

  private static Map<String, String> steps(JsonNode build) {
    Map<String, String> steps = new HashMap<>();
    build.path("steps").forEach(step -> steps.put(step.path("id").asText(), step.toString()));
    return steps;
  }

  @Test
  void theDeployerHoldsAndMayGrantNoRoleThatPromotesIt() {
    List<String> held = TerraformConfig.strings(bootstrap.local("deployer_roles"));
    assertThat(held).isNotEmpty().doesNotContainAnyElementsOf(PROMOTING_ROLES);
    // Its one IAM admin role is conditioned to the delegated roles, and those are safe to hand out.
    JsonNode iamAdmin =
        bootstrap.only("google_project_iam_member", "deployer_grants_delegated_roles");
    assertThat(iamAdmin.path("role").asText()).isEqualTo("roles/resourcemanager.projectIamAdmin");
    assertThat(iamAdmin.path("condition").get(0).path("expression").asText())
        .startsWith("api.getAttribute('iam.googleapis.com/modifiedGrantsByRole', []).hasOnly(")
        .contains("local.delegated_roles");
    List<String> grantable = TerraformConfig.strings(bootstrap.local("delegated_roles"));
    assertThat(grantable).isNotEmpty().doesNotContainAnyElementsOf(PROMOTING_ROLES);
    Map<String, JsonNode> custom = bootstrap.ofType("google_project_iam_custom_role");
    for (String role : grantable) {
      if (role.startsWith("${google_project_iam_custom_role.")) {
        String name = role.substring("${google_project_iam_custom_role.".length()).split("\\.")[0];
        assertThat(custom).as(role).containsKey(name);
      } else {
        assertThat(role).as("a predefined role the functions hold").startsWith("roles/");
      }
    }
    custom.forEach(
        (name, role) ->
            assertThat(TerraformConfig.strings(role.path("permissions")))
                .as(name)
                .isNotEmpty()
                .noneMatch(p -> PROMOTING_PERMISSION.matcher(p).matches()));
  }

  @Test
  void theObjectDeleterRoleDeletesAndNothingElse() {
    // The files function holds it on the files bucket: it can delete an original, never overwrite
    // it.
    assertThat(
            TerraformConfig.strings(
                bootstrap
                    .only("google_project_iam_custom_role", "object_deleter")
                    .path("permissions")))
        .containsExactly("storage.objects.delete");
  }

  @Test
  void accountDeletionMayListDeleteAndDeleteUsersButReadNothing() {
    assertThat(
            TerraformConfig.strings(
                bootstrap
                    .only("google_project_iam_custom_role", "object_purger")
                    .path("permissions")))
        .containsExactlyInAnyOrder("storage.objects.delete", "storage.objects.list");
    assertThat(
            TerraformConfig.strings(
                bootstrap
                    .only("google_project_iam_custom_role", "user_deleter")
                    .path("permissions")))
        .containsExactlyInAnyOrder("firebaseauth.users.delete", "firebaseauth.users.get");
    assertThat(
            TerraformConfig.strings(
                bootstrap
                    .only("google_project_iam_custom_role", "database_admin")
                    .path("permissions")))
        .noneMatch(p -> p.startsWith("datastore.entities") || p.endsWith(".delete"));
  }

  @Test
  void customRolesAndTheDeployersOwnGrantsLiveOnlyInTheBootstrap() {
    // The deployer applies infra/: if a custom role or its own roles were there, it could edit
    // them.
    assertThat(infra.ofType("google_project_iam_custom_role")).isEmpty();
    assertThat(infra.ofType("google_service_account")).doesNotContainKeys("deployer", "tester");
    assertThat(infra.ofType("google_project_iam_member"))
        .allSatisfy(
            (name, binding) ->
                assertThat(binding.path("member").asText()).as(name).doesNotContain("deployer"));
    assertThat(infra.allStrings()).doesNotContain("roles/iam.roleAdmin");
    // Every project-level grant infra/ makes is one the condition lets the deployer make.
    List<String> grantable = TerraformConfig.strings(bootstrap.local("delegated_roles"));
    Map<String, String> customByRef = new HashMap<>();
    bootstrap
        .ofType("google_project_iam_custom_role")
        .forEach(
            (name, role) ->
                customByRef.put(
                    "${local.custom_roles." + name + "}",
                    "${google_project_iam_custom_role." + name + ".name}"));
    infra
        .ofType("google_project_iam_member")
        .forEach(
            (name, binding) -> {
              String role = binding.path("role").asText();
              assertThat(grantable).as(name).contains(customByRef.getOrDefault(role, role));
            });
    // infra/ names each custom role as the bootstrap creates it.
    infra
        .local("custom_roles")
        .properties()
        .forEach(
            e -> {
              JsonNode role = bootstrap.only("google_project_iam_custom_role", e.getKey());
              assertThat(e.getValue().asText())
                  .isEqualTo("projects/${var.project_id}/roles/" + role.path("role_id").asText());
            });
  }

  @Test
  void theTestBuildRunsAsAnAccountWithNoProjectRoles() throws IOException {
    JsonNode test = bootstrap.only("google_cloudbuild_trigger", "test");
    assertThat(test.path("filename").asText()).isEqualTo("cloudbuild.yaml");
    assertThat(test.path("service_account").asText())
        .isEqualTo("${google_service_account.tester.id}");
    assertThat(bootstrap.ofType("google_project_iam_member"))
        .allSatisfy(
            (name, binding) ->
                assertThat(binding.path("member").asText()).as(name).doesNotContain("tester"));
    assertThat(steps(build("cloudbuild.yaml"))).containsOnlyKeys("builder", "test");

    // The deploy build runs as the deployer, and only after that trigger's build succeeded.
    JsonNode deploy = bootstrap.only("google_cloudbuild_trigger", "deploy");
    assertThat(deploy.path("service_account").asText())
        .isEqualTo("${google_service_account.deployer.id}");
    assertThat(deploy.path("git_file_source").get(0).path("path").asText())
        .isEqualTo("cloudbuild-deploy.yaml");
    assertThat(deploy.path("filter").asText())
        .contains("_STATUS == \"SUCCESS\"")
        .contains("_TRIGGER_ID == \"${google_cloudbuild_trigger.test.trigger_id}\"");
    assertThat(deploy.path("substitutions").path("_COMMIT").asText())
        .isEqualTo("$(body.message.data.substitutions.COMMIT_SHA)");
    assertThat(steps(build("cloudbuild-deploy.yaml")).get("checkout"))
        .contains("git checkout --detach \\\"${_COMMIT}\\\"");
  }

  @Test
  void everyImageIsPinnedToAnExactVersion() throws IOException {
    Pattern exact = Pattern.compile("^[a-z0-9./_-]+:\\d+\\.\\d+\\.\\d+(-[a-z0-9]+)?$");
    Map<String, String> ownImage =
        Map.of(
            "cloudbuild.yaml", "${_BUILDER}:${COMMIT_SHA}",
            "cloudbuild-deploy.yaml", "${_BUILDER}:${_COMMIT}");
    ownImage.forEach(
        (file, tag) -> {
          JsonNode build;
          try {
            build = build(file);
          } catch (IOException e) {
            throw new AssertionError(file, e);
          }
          assertThat(build.path("substitutions").path("_BUILDER").asText()).doesNotContain(":");
          for (JsonNode step : build.path("steps")) {
            String image = step.path("name").asText();
            if (image.startsWith("${_BUILDER}")) {
              // Built by the test build from infra/ci/Dockerfile, tagged with its commit.
              assertThat(image).as(file).isEqualTo(tag);
            } else {
              assertThat(image).as(file + " " + step.path("id").asText()).matches(exact);
            }
          }
        });
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
  void theTestBuildRunsTheReadmeCommandAndTheDeployBuildPackagesAndDeploysEveryFunction()
      throws IOException {
    assertThat(steps(build("cloudbuild.yaml")).get("test")).contains("local/test");
    assertThat(Files.readString(root.resolve("README.md"))).contains("local/test");
    Map<String, String> steps = steps(build("cloudbuild-deploy.yaml"));
    assertThat(steps).containsKeys("checkout", "package", "upload", "deploy");
    Set<String> objects = new HashSet<>();
    infra
        .ofType("google_cloudfunctions2_function")
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
          .contains("$fn-${_COMMIT}.zip");
      assertThat(objects).contains(fn.name() + "-${var.source_version}.zip");
    }
    assertThat(steps.get("deploy"))
        .contains("terraform apply")
        .contains("-var source_version=${_COMMIT}");
  }

  @Test
  void theDeployBuildPublishesTheWebAppWithTerraformsConfigAndAPolicyWithNoInlineScript()
      throws IOException {
    Map<String, String> steps = steps(build("cloudbuild-deploy.yaml"));
    assertThat(steps.get("deploy")).contains("terraform output -json web_config");
    assertThat(steps.get("web"))
        .contains("npm ci --prefix web")
        .contains("web/dist/config.json")
        .contains("firebase-tools@15 deploy --only hosting")
        .contains("\"waitFor\":[\"deploy\"]");
    JsonNode hosting = new ObjectMapper().readTree(root.resolve("web/firebase.json").toFile());
    String csp = "";
    for (JsonNode rule : hosting.path("hosting").path("headers")) {
      for (JsonNode header : rule.path("headers")) {
        if (header.path("key").asText().equals("Content-Security-Policy")) {
          csp = header.path("value").asText();
        }
      }
    }
    assertThat(csp)
        .contains("script-src 'self'")
        .contains("connect-src 'self' __API_ORIGIN__")
        .doesNotContain("'unsafe-inline'")
        .doesNotContain("'unsafe-eval'");
    assertThat(steps.get("web")).contains("__API_ORIGIN__");
  }
}
