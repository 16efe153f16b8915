package dev.cirrus.local.emulators;

import com.google.cloud.functions.invoker.BackgroundFunctionExecutor;
import com.google.cloud.functions.invoker.HttpFunctionExecutor;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * One function behind the Functions Framework's own executors, on a Jetty server like the
 * invoker's, but listening on the loopback interface only. The invoker's {@code Invoker} binds
 * every interface and has no setting for it; on a developer's machine that would expose functions
 * that accept the Auth emulator's unsigned tokens to the whole network. In production the function
 * listens on every interface of its container, behind Cloud Run's IAM check.
 */
public final class LoopbackFunctionServer implements AutoCloseable {
  private static final String LOOPBACK = "127.0.0.1";

  private final Server server;

  private LoopbackFunctionServer(Server server) {
    this.server = server;
  }

  /**
   * @param signature {@code http} or {@code cloudevent}, as {@code --signature-type}
   */
  public static LoopbackFunctionServer start(
      int port, String target, String signature, ClassLoader loader) throws Exception {
    Class<?> functionClass = loader.loadClass(target);
    Handler handler =
        switch (signature) {
          case "http" -> HttpFunctionExecutor.forClass(functionClass);
          case "cloudevent", "event" -> BackgroundFunctionExecutor.forClass(functionClass);
          default -> throw new IllegalArgumentException("unknown signature type " + signature);
        };
    // As the invoker sets up its server: a large pool, and errors without a body.
    Server server = new Server(new QueuedThreadPool(1024));
    server.setErrorHandler(
        new ErrorHandler() {
          @Override
          protected void generateResponse(
              Request request,
              Response response,
              int code,
              String message,
              Throwable cause,
              Callback callback) {
            callback.succeeded();
          }
        });
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(LOOPBACK);
    connector.setPort(port);
    connector.setReuseAddress(true);
    server.addConnector(connector);
    server.setHandler(handler);
    server.start();
    return new LoopbackFunctionServer(server);
  }

  /**
   * One function, for {@link FunctionProcess}: {@code <target> <signature> <port>}. Runs until the
   * process ends.
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: <target> <http|cloudevent> <port>");
    }
    LoopbackFunctionServer server =
        start(
            Integer.parseInt(args[2]),
            args[0],
            args[1],
            LoopbackFunctionServer.class.getClassLoader());
    server.server.join();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
