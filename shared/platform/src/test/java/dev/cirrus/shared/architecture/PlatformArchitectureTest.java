package dev.cirrus.shared.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boundary and the composition: the HTTP boundary knows ports and wire formats, never an
 * adapter; only the composition root ({@code platform}) knows which adapters there are.
 */
class PlatformArchitectureTest {
  private static JavaClasses platform;

  @BeforeAll
  static void importClasses() {
    platform =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.cirrus");
  }

  @Test
  void everyClassIsInANamedPackage() {
    classes()
        .should()
        .resideInAnyPackage("dev.cirrus.shared.http", "dev.cirrus.shared.platform")
        .check(platform);
  }

  @Test
  void theHttpBoundaryNeverReachesIntoAdapters() {
    noClasses()
        .that()
        .resideInAPackage("dev.cirrus.shared.http..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.cirrus.shared.adapter..", "dev.cirrus.shared.platform..", "dev.cirrus.local..")
        .check(platform);
  }

  @Test
  void nothingHereReachesLocalOnlyCode() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.cirrus.local..")
        .check(platform);
  }
}
