package dev.cirrus.local.storage;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cirrus.local.storage.api.JsonApi;
import dev.cirrus.local.storage.api.Resources;
import dev.cirrus.local.storage.api.XmlApi;
import dev.cirrus.local.storage.blob.BlobStore;
import dev.cirrus.local.storage.blob.FileBlobStore;
import dev.cirrus.local.storage.blob.MemoryBlobStore;
import dev.cirrus.local.storage.signing.TrustedKeys;
import dev.cirrus.local.storage.signing.V4SignatureVerifier;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The project's Cloud Storage emulator: the JSON API on one port, objects on disk (or in memory),
 * {@code /_internal/healthz} and {@code /_internal/reset} for tests. Local only.
 */
public final class StorageEmulator implements AutoCloseable {
  static {
    // The JDK server reads this once, when the first server starts. Without TCP_NODELAY every
    // answer on a kept-alive connection waited for the client's delayed ACK: ~40 ms a request.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final ObjectStore store;
  private final Notifications notifications;
  private final RetryTests retryTests = new RetryTests();
  private final Faults faults = new Faults();
  private final RetryControl retryControl = new RetryControl(retryTests);
  private final FaultInjection faultInjection = new FaultInjection(retryTests, faults);

  private StorageEmulator(
      int port, BlobStore blobs, Catalog catalog, TrustedKeys trusted, Optional<String> pubsubHost)
      throws IOException {
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    this.notifications = new Notifications(pubsubHost);
    this.store =
        new ObjectStore(
            blobs,
            catalog,
            Clock.systemUTC(),
            (type, object) -> notifications.emit(type, object, o -> Resources.object(o, base)));
    JsonApi api = new JsonApi(store, notifications, faults);
    XmlApi xml = new XmlApi(store, api, new V4SignatureVerifier(trusted, Clock.systemUTC()));
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            try {
              serve(exchange, api, xml);
            } catch (Fault.DropConnection dropped) {
              // Fault injection: the connection goes without an answer; closing finishes it.
            } catch (IOException | RuntimeException e) {
              // The one catch-all: a bug here must not take the emulator down.
              e.printStackTrace();
              text(
                  exchange,
                  500,
                  "{\"error\":{\"code\":500,\"message\":\""
                      + e.getClass().getSimpleName()
                      + "\"}}");
            }
          }
        });
    server.setExecutor(executor);
    server.start();
  }

  private void serve(HttpExchange exchange, JsonApi api, XmlApi xml) throws IOException {
    if (!Loopback.isHostHeader(exchange.getRequestHeaders().getFirst("Host"))) {
      // DNS rebinding: a name that resolves here is not this machine's name. Refused before
      // anything else, /_internal and /retry_test included.
      text(
          exchange,
          403,
          "{\"error\":{\"code\":403,\"message\":\"the emulator answers only requests addressed to"
              + " localhost or a loopback address\",\"errors\":[{\"reason\":\"forbidden\","
              + "\"domain\":\"global\",\"message\":\"Host not allowed\"}]}}");
      return;
    }
    if (Cors.apply(exchange)) {
      return;
    }
    String path = exchange.getRequestURI().getPath();
    if (ControlRoutes.owns(path) && !ControlRoutes.mayControl(exchange)) {
      text(
          exchange,
          403,
          "{\"error\":{\"code\":403,\"message\":\"control routes take requests from this"
              + " machine's programs, not from web pages\",\"errors\":[{\"reason\":\"forbidden\","
              + "\"domain\":\"global\",\"message\":\"not a control request\"}]}}");
      return;
    }
    if (path.equals("/_internal/healthz")) {
      text(exchange, 200, "ok");
      return;
    }
    if (path.equals("/_internal/reset") && exchange.getRequestMethod().equals("POST")) {
      store.reset();
      text(exchange, 200, "reset");
      return;
    }
    if (path.equals("/retry_test")
        || path.equals("/retry_tests")
        || path.startsWith("/retry_test/")) {
      retryControl.handle(exchange);
      return;
    }
    faultInjection.around(
        exchange,
        served -> {
          if (XmlApi.serves(served.getRequestURI().getRawPath())) {
            xml.handle(served);
          } else {
            api.handle(served);
          }
        });
  }

  /** In memory: for tests. Signed URLs verify against {@code trusted}. */
  public static StorageEmulator inMemory(int port, TrustedKeys trusted) throws IOException {
    return new StorageEmulator(
        port, new MemoryBlobStore(), Catalog.NONE, trusted, Optional.empty());
  }

  /** In memory, publishing bucket notifications to the Pub/Sub emulator at {@code pubsubHost}. */
  public static StorageEmulator inMemory(int port, TrustedKeys trusted, String pubsubHost)
      throws IOException {
    return new StorageEmulator(
        port, new MemoryBlobStore(), Catalog.NONE, trusted, Optional.of(pubsubHost));
  }

  public static StorageEmulator inMemory(int port) throws IOException {
    return inMemory(port, new TrustedKeys());
  }

  /**
   * Objects as files under {@code dataDir}, metadata beside them: a restart with the same directory
   * keeps everything. Signed URLs verify against {@code trusted}.
   */
  public static StorageEmulator onDisk(
      int port, Path dataDir, TrustedKeys trusted, Optional<String> pubsubHost) throws IOException {
    return new StorageEmulator(
        port,
        new FileBlobStore(dataDir.resolve("blobs")),
        new FileCatalog(dataDir.resolve("catalog")),
        trusted,
        pubsubHost);
  }

  public static StorageEmulator onDisk(int port, Path dataDir) throws IOException {
    return onDisk(port, dataDir, new TrustedKeys(), Optional.empty());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:port}, what STORAGE_EMULATOR_HOST and setHost take. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public ObjectStore store() {
    return store;
  }

  public Notifications notifications() {
    return notifications;
  }

  private static void text(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    notifications.close();
    server.stop(0);
    executor.shutdownNow();
  }

  /** {@code StorageEmulator PORT DATA_DIR}: runs until killed. */
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 9199;
    StorageEmulator emulator = args.length > 1 ? onDisk(port, Path.of(args[1])) : inMemory(port);
    Runtime.getRuntime().addShutdownHook(new Thread(emulator::close));
    System.out.println("Cloud Storage emulator on " + emulator.url());
    Thread.currentThread().join();
  }
}
