package dev.cirrus.shared.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The wire formats: JSON and log lines over the domain's records, and no cloud client. */
class WireArchitectureTest {
  private static JavaClasses wire;

  @BeforeAll
  static void importClasses() {
    wire =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.cirrus");
  }

  @Test
  void everyClassIsInANamedPackage() {
    classes()
        .should()
        .resideInAnyPackage("dev.cirrus.shared.json", "dev.cirrus.shared.log")
        .check(wire);
  }

  @Test
  void wireFormatsKnowNoCloudClientAdapterOrBoundary() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "com.google..",
            "io.grpc..",
            "dev.cirrus.shared.adapter..",
            "dev.cirrus.shared.http..",
            "dev.cirrus.shared.platform..",
            "dev.cirrus.local..")
        .check(wire);
  }
}
