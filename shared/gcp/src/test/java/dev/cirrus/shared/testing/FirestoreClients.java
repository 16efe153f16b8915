package dev.cirrus.shared.testing;

import dev.cirrus.local.emulators.EmulatorsExtension;
import dev.cirrus.local.emulators.TestEmulators;
import dev.cirrus.shared.adapter.gcp.GcpClients;
import dev.cirrus.shared.config.CirrusConfig;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Google clients pointed at the test run's Firestore emulator, shared by every adapter test of the
 * run and closed at its end. Test classes take {@link GcpClients} as a parameter of their
 * {@code @BeforeAll}; the emulators come from {@link EmulatorsExtension}.
 */
public final class FirestoreClients implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(FirestoreClients.class);

  /** The clients, closed with the run. */
  private record Open(GcpClients clients) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() throws Exception {
      clients.firestore().get().close();
    }
  }

  /**
   * The Firestore transport this test run uses: {@code rest} unless the build's second run of the
   * Firestore-backed tests asks for {@code grpc} ({@code -Dcirrus.firestore.transport}).
   */
  public static String transport() {
    return System.getProperty("cirrus.firestore.transport", "rest");
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == GcpClients.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    TestEmulators emulators =
        (TestEmulators) new EmulatorsExtension().resolveParameter(parameter, context);
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            Open.class,
            k ->
                new Open(
                    new GcpClients(
                        CirrusConfig.fromEnvironment(
                            Map.of(
                                "GOOGLE_CLOUD_PROJECT", emulators.projectId(),
                                "FIRESTORE_EMULATOR_HOST", emulators.firestoreHost(),
                                "CIRRUS_FIRESTORE_TRANSPORT", transport())))),
            Open.class)
        .clients();
  }
}
