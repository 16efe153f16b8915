package dev.cirrus.local.runner;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * One request from the gateway to a function, as API Gateway's proxy and Cloud Run's front end pass
 * it on together: retried once on a new connection when it fails before any answer, and held while
 * no instance is up, until one serves or the pending window ends.
 */
final class BackendCall {
  /** No instance came up within the pending window. */
  static final class NoInstance extends IOException {
    private final Duration retryAfter;

    NoInstance(Duration waited, Duration retryAfter) {
      super("no instance of the functions was up within " + waited.toSeconds() + " s");
      this.retryAfter = retryAfter;
    }

    Duration retryAfter() {
      return retryAfter;
    }
  }

  private final Instances instances;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .executor(Executors.newFixedThreadPool(8))
          .build();

  BackendCall(Instances instances) {
    this.instances = instances;
  }

  /**
   * Sends to the function. A timeout, or a second failure that is not a refused connection, becomes
   * the gateway's 502; no instance within the pending window, {@link NoInstance}.
   */
  HttpResponse<byte[]> send(HttpRequest request) throws IOException {
    boolean retried = false;
    PendingRequest pending = new PendingRequest(instances);
    for (; ; ) {
      try {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      } catch (HttpTimeoutException e) {
        throw e;
      } catch (IOException e) {
        switch (next(pending, e)) {
          case SEND_AGAIN:
            continue;
          case NO_INSTANCE:
            throw new NoInstance(pending.window(), pending.retryAfter());
          case NOT_PENDING:
          default:
            break;
        }
        // API Gateway runs ESPv2, whose Envoy retries a backend once on a reset, a connection
        // failure or a refused stream, whatever the method (its --backend_retry_ons default,
        // "reset,connect-failure,refused-stream", and --backend_retry_num 1). A function's server
        // that closed a kept-alive connection as we reused it looks just like that here.
        if (retried) {
          throw e;
        }
        retried = true;
      }
    }
  }

  private static PendingRequest.Next next(PendingRequest pending, IOException failure)
      throws IOException {
    try {
      return pending.after(failure);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
