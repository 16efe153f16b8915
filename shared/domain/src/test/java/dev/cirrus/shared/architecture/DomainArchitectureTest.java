package dev.cirrus.shared.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the domain module is: records, rules, services and ports, knowing nothing of Google,
 * Firebase, Jackson or any adapter. The Maven module already keeps those libraries off its
 * classpath; these rules say it in words and catch a package that appears without a place here.
 */
class DomainArchitectureTest {
  /** Every package of the domain module; a new one fails {@link #everyClassIsInANamedPackage}. */
  static final String[] DOMAIN = {
    "dev.cirrus.shared.accounts",
    "dev.cirrus.shared.admin",
    "dev.cirrus.shared.appcheck",
    "dev.cirrus.shared.auth",
    "dev.cirrus.shared.config",
    "dev.cirrus.shared.deadletters",
    "dev.cirrus.shared.error",
    "dev.cirrus.shared.events",
    "dev.cirrus.shared.exports",
    "dev.cirrus.shared.files",
    "dev.cirrus.shared.ids",
    "dev.cirrus.shared.maintenance",
    "dev.cirrus.shared.notifications",
    "dev.cirrus.shared.paging",
    "dev.cirrus.shared.processing",
    "dev.cirrus.shared.ratelimit",
    "dev.cirrus.shared.storage",
    "dev.cirrus.shared.tracing",
    "dev.cirrus.shared.uploads",
    "dev.cirrus.shared.users",
    "dev.cirrus.shared.webhooks"
  };

  private static JavaClasses domain;

  @BeforeAll
  static void importClasses() {
    domain =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.cirrus");
  }

  @Test
  void everyClassIsInANamedPackage() {
    classes().should().resideInAnyPackage(DOMAIN).check(domain);
  }

  @Test
  void theDomainKnowsNoCloudClientJsonLibraryOrAdapter() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "com.google..",
            "io.grpc..",
            "com.fasterxml..",
            "com.networknt..",
            "dev.cirrus.shared.adapter..",
            "dev.cirrus.shared.json..",
            "dev.cirrus.shared.log..",
            "dev.cirrus.shared.http..",
            "dev.cirrus.shared.platform..",
            "dev.cirrus.local..")
        .check(domain);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "com.google.cloud.firestore.Firestore",
        "com.google.firebase.FirebaseApp",
        "com.fasterxml.jackson.databind.ObjectMapper",
        "com.google.cloud.functions.HttpFunction",
        "dev.cirrus.shared.adapter.memory.InMemoryUserStore"
      })
  void noCloudJsonOrFakeClassIsOnTheDomainsClasspath(String name) {
    assertThatThrownBy(() -> Class.forName(name)).isInstanceOf(ClassNotFoundException.class);
  }
}
