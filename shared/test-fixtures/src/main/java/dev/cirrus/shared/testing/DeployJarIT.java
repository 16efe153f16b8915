package dev.cirrus.shared.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A look inside a function's deploy jar, the archive Cloud Build uploads: it holds the function and
 * what it runs on, and nothing that only tests or the local stack need. Run by every function
 * module's {@code deploy} profile after the jar is shaded ({@code functions/pom.xml}), with the
 * jar's path in {@code cirrus.deployJar}.
 */
class DeployJarIT {
  private static List<String> entries;

  @BeforeAll
  static void listTheJar() throws IOException {
    String path = System.getProperty("cirrus.deployJar");
    assertThat(path).as("cirrus.deployJar names the shaded jar").isNotBlank();
    assertThat(Files.isRegularFile(Path.of(path))).as(path + " exists").isTrue();
    try (JarFile jar = new JarFile(path)) {
      entries = jar.stream().map(JarEntry::getName).toList();
    }
  }

  @Test
  void holdsTheFunctionAndWhatItRunsOn() {
    String target = System.getProperty("cirrus.functionTarget").replace('.', '/') + ".class";
    assertThat(entries)
        .contains(
            target,
            "dev/cirrus/shared/platform/Platform.class",
            "dev/cirrus/shared/uploads/Admission.class",
            "dev/cirrus/shared/adapter/firestore/FirestoreUserStore.class");
  }

  @Test
  void shipsNoFakeContractOrTestHelper() {
    assertThat(entries)
        .noneMatch(e -> e.startsWith("dev/cirrus/shared/adapter/memory/"))
        .noneMatch(e -> e.startsWith("dev/cirrus/shared/testing/"))
        .noneMatch(e -> e.startsWith("dev/cirrus/") && e.endsWith("Contract.class"));
  }

  @Test
  void shipsNoLocalOnlyCodeOrTestLibrary() {
    assertThat(entries)
        .noneMatch(e -> e.startsWith("dev/cirrus/local/"))
        .noneMatch(e -> e.startsWith("org/junit/"))
        .noneMatch(e -> e.startsWith("org/assertj/"))
        .noneMatch(e -> e.startsWith("com/tngtech/archunit/"));
  }
}
