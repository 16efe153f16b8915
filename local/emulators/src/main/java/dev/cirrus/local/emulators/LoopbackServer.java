package dev.cirrus.local.emulators;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A JDK HTTP server on the loopback interface with one handler, a fixed pool of threads, and a
 * failure path that still answers: the error is written before the exchange closes.
 */
public final class LoopbackServer implements AutoCloseable {
  static {
    // The JDK server reads this once, when the first server starts. Without TCP_NODELAY every
    // answer on a kept-alive connection waited for the client's delayed ACK: ~40 ms a request.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** Serves one exchange; may throw, and then {@link Failure} answers instead. */
  public interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  /** Answers an exchange whose handler threw. */
  public interface Failure {
    void answer(HttpExchange exchange, Exception cause) throws IOException;
  }

  private final HttpServer server;
  private final ExecutorService executor;

  public LoopbackServer(int port, String path, int threads, Handler handler, Failure failure)
      throws IOException {
    this.executor = Executors.newFixedThreadPool(threads);
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
    server.createContext(
        path,
        exchange -> {
          try (exchange) {
            try {
              handler.handle(exchange);
            } catch (IOException | RuntimeException e) {
              failure.answer(exchange, e);
            }
          }
        });
    server.setExecutor(executor);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
