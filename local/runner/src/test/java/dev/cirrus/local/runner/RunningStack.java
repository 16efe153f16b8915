package dev.cirrus.local.runner;

import dev.cirrus.local.emulators.ProjectLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One whole local stack on free ports, shared by every end-to-end test class of the JVM (it takes
 * ~10 s to start) and stopped when the run ends. Test classes inject it as a parameter.
 */
public final class RunningStack implements ParameterResolver {
  static final String PROJECT = "demo-cirrus-e2e";

  /**
   * How long the stack's functions trust a verified token. Shorter than the deployed five minutes
   * so that a test can watch a revocation arrive; everything else behaves the same.
   */
  static final Duration TOKEN_CACHE = Duration.ofSeconds(3);

  /** Redeliveries a second or two apart, so five failed attempts take seconds, not minutes. */
  static final LocalStack.Retry RETRY =
      new LocalStack.Retry(
          EventarcBridge.DEFAULT_IN_FLIGHT, Duration.ofSeconds(1), Duration.ofSeconds(2));

  /** What the test stack's functions are started with, beyond the defaults. */
  static final Map<String, String> SETTINGS =
      Map.ofEntries(
          // Webhook retries seconds apart, looked for every 2 s: the third attempt of a
          // delivery comes within seconds, by the same tick-driven path as deployed.
          Map.entry("CIRRUS_WEBHOOK_RETRY_SCHEDULE", "1s,2s,2s,2s"),
          Map.entry(LocalStack.WEBHOOK_TICK_SETTING, "2"),
          Map.entry("CIRRUS_TOKEN_CACHE_SECONDS", Long.toString(TOKEN_CACHE.toSeconds())),
          // Every test of the suite calls from 127.0.0.1, so they share one address budget: the
          // limits stay on (each request takes its tokens in Redis) with budgets no suite
          // reaches. FrontDoorFlowTest holds the real rule to account.
          Map.entry("CIRRUS_RATE_READS_PER_ADDRESS", "1000000/60s"),
          Map.entry("CIRRUS_RATE_WRITES_PER_ADDRESS", "1000000/60s"),
          Map.entry("CIRRUS_RATE_UPLOADS_PER_ADDRESS", "1000000/60s"),
          Map.entry("CIRRUS_RATE_READS_PER_USER", "100000/60s"),
          Map.entry("CIRRUS_RATE_WRITES_PER_USER", "100000/60s"),
          Map.entry("CIRRUS_RATE_UPLOADS_PER_USER", "100000/60s"),
          Map.entry("CIRRUS_EDGE_REQUESTS_PER_MINUTE", "1000000"));

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RunningStack.class);

  /** The running stack, its state directory and what it printed while starting. */
  public record Handle(LocalStack stack, Path state, ByteArrayOutputStream progress)
      implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      stack.close();
    }

    String progressText() {
      return progress.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Handle.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(Handle.class, k -> start(), Handle.class);
  }

  private static Handle start() {
    try {
      Path state = Files.createTempDirectory("cirrus-stack");
      ByteArrayOutputStream progress = new ByteArrayOutputStream();
      LocalStack stack =
          LocalStack.start(
              ProjectLayout.locate(),
              PROJECT,
              LocalStack.Ports.free(),
              FunctionCatalog.functions(),
              state,
              new PrintStream(progress, true, StandardCharsets.UTF_8),
              SETTINGS,
              RETRY,
              StackData.Seed.EMPTY);
      return new Handle(stack, state, progress);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
