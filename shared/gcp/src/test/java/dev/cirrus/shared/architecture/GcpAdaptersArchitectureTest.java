package dev.cirrus.shared.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The adapters on Google Cloud: one package per service, each standing alone; only {@code
 * adapter.gcp}, which creates the clients and hands out every adapter, knows them all.
 */
class GcpAdaptersArchitectureTest {
  private static JavaClasses adapters;

  @BeforeAll
  static void importClasses() {
    adapters =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.cirrus");
  }

  @Test
  void everyClassIsInANamedPackage() {
    classes()
        .should()
        .resideInAnyPackage(
            "dev.cirrus.shared.adapter.appcheck",
            "dev.cirrus.shared.adapter.authemulator",
            "dev.cirrus.shared.adapter.fcm",
            "dev.cirrus.shared.adapter.firebase",
            "dev.cirrus.shared.adapter.firestore",
            "dev.cirrus.shared.adapter.gcp",
            "dev.cirrus.shared.adapter.gcs",
            "dev.cirrus.shared.adapter.identity",
            "dev.cirrus.shared.adapter.pubsub",
            "dev.cirrus.shared.adapter.redis",
            "dev.cirrus.shared.adapter.telemetry",
            "dev.cirrus.shared.adapter.webhooks")
        .check(adapters);
  }

  @Test
  void eachServicesAdapterStandsAlone() {
    slices()
        .matching("dev.cirrus.shared.adapter.(*)..")
        .should()
        .notDependOnEachOther()
        .ignoreDependency(resideInAPackage("dev.cirrus.shared.adapter.gcp"), alwaysTrue())
        .check(adapters);
  }

  @Test
  void adaptersNeverReachTheBoundaryOrLocalCode() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.cirrus.shared.http..", "dev.cirrus.shared.platform..", "dev.cirrus.local..")
        .check(adapters);
  }
}
