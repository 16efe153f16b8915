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

/**
 * The rules that span modules: production code never reaches local-only code, and functions stay
 * thin. Each shared module guards its own layer (its {@code architecture} test package); this test
 * sees every module at once, so it is where the rules between them live.
 */
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
                  Stream.of("domain", "wire", "gcp", "platform")
                      .map(m -> root.resolve("shared").resolve(m).resolve("pom.xml")),
                  Stream.concat(
                      Stream.of(root.resolve("functions/pom.xml")),
                      functions.map(f -> f.resolve("pom.xml")).filter(Files::isRegularFile)))
              .toList();
    }
    assertThat(poms).hasSizeGreaterThan(10).allMatch(Files::isRegularFile);
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
