package dev.cirrus.local.runner;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.cirrus.local.emulators.ProjectLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dependency rules of ports and adapters, and of production versus local-only code. */
class ArchitectureTest {
  private static JavaClasses production;

  @BeforeAll
  static void importClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // Test helpers of other modules arrive as -tests.jar, which the option above misses.
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("dev.cirrus");
  }

  /** The domain and its ports: they know no Google class and no adapter (http: no adapter). */
  private static final String[] DOMAIN = {
    "dev.cirrus.shared.users..",
    "dev.cirrus.shared.auth..",
    "dev.cirrus.shared.error..",
    "dev.cirrus.shared.uploads..",
    "dev.cirrus.shared.files..",
    "dev.cirrus.shared.processing..",
    "dev.cirrus.shared.storage..",
    "dev.cirrus.shared.events.."
  };

  @Test
  void productionCodeNeverDependsOnLocalOnlyCode() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.cirrus.shared..", "dev.cirrus.functions..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.cirrus.local..")
        .check(production);
  }

  @Test
  void theDomainNeverImportsGoogleOrFirebaseClasses() {
    noClasses()
        .that()
        .resideInAnyPackage(DOMAIN)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.google..", "io.grpc..")
        .check(production);
  }

  @Test
  void theDomainNeverReachesIntoAdapters() {
    noClasses()
        .that()
        .resideInAnyPackage(DOMAIN)
        .or()
        .resideInAPackage("dev.cirrus.shared.http..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.cirrus.shared.adapter..")
        .check(production);
  }

  @Test
  void functionsStayThinAndTalkToGoogleOnlyThroughShared() {
    noClasses()
        .that()
        .resideInAPackage("dev.cirrus.functions..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "com.google.cloud.firestore..",
            "com.google.cloud.pubsub..",
            "com.google.cloud.storage..",
            "com.google.firebase..",
            "com.fasterxml.jackson..",
            "io.grpc..")
        .check(production);
  }

  @Test
  void functionsDoNotDependOnEachOther() {
    slices()
        .matching("dev.cirrus.functions.(*)..")
        .should()
        .notDependOnEachOther()
        .check(production);
  }

  @Test
  void productionPomsUseLocalModulesOnlyInTestScope() throws Exception {
    Path root = ProjectLayout.locate().root();
    List<Path> poms;
    try (Stream<Path> functions = Files.list(root.resolve("functions"))) {
      poms =
          Stream.concat(
                  Stream.of(root.resolve("shared/pom.xml")),
                  functions.map(f -> f.resolve("pom.xml")).filter(Files::isRegularFile))
              .toList();
    }
    assertThat(poms).hasSizeGreaterThan(1);
    Pattern dependency = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
    for (Path pom : poms) {
      Matcher m = dependency.matcher(Files.readString(pom));
      while (m.find()) {
        String dep = m.group(1);
        if (dep.contains("cirrus-local-")) {
          assertThat(dep)
              .as(pom + " must use local modules only in tests")
              .contains("<scope>test</scope>");
        }
      }
    }
  }
}
