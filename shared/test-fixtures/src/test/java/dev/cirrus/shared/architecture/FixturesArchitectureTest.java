package dev.cirrus.shared.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fakes and the contracts: plain Java over the domain's ports, so a fast test on them needs no
 * emulator, and a contract means the same thing whichever adapter runs it.
 */
class FixturesArchitectureTest {
  private static JavaClasses fixtures;

  @BeforeAll
  static void importClasses() {
    fixtures =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.cirrus");
  }

  @Test
  void fakesLiveInOnePackageAndContractsBesideTheirPorts() {
    classes()
        .that()
        .haveSimpleNameStartingWith("InMemory")
        .should()
        .resideInAPackage("dev.cirrus.shared.adapter.memory")
        .check(fixtures);
    classes()
        .that()
        .haveSimpleNameEndingWith("Contract")
        .should()
        .haveModifier(JavaModifier.ABSTRACT)
        .because("a contract runs only as the test of an adapter or a fake that extends it")
        .check(fixtures);
  }

  @Test
  void fixturesKnowNoCloudClientJsonLibraryOrRealAdapter() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "com.google..",
            "io.grpc..",
            "com.fasterxml..",
            "dev.cirrus.shared.adapter.firestore..",
            "dev.cirrus.shared.adapter.gcp..",
            "dev.cirrus.shared.adapter.gcs..",
            "dev.cirrus.shared.adapter.pubsub..",
            "dev.cirrus.shared.json..",
            "dev.cirrus.shared.http..",
            "dev.cirrus.shared.platform..",
            "dev.cirrus.local..")
        .check(fixtures);
  }
}
