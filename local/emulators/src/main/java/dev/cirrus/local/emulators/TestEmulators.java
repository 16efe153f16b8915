package dev.cirrus.local.emulators;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The emulators of one test JVM, each started on first use on a free port and stopped when the
 * JVM's tests are done. Obtained through {@link EmulatorsExtension}.
 */
public final class TestEmulators implements ExtensionContext.Store.CloseableResource {
  /** A {@code demo-} project: the only kind in which emulator tokens are honoured. */
  public static final String PROJECT_ID = "demo-cirrus-test";

  private final Path workDir;
  private final List<EmulatorProcess> started = new ArrayList<>();
  private CompletableFuture<EmulatorProcess> firestore;
  private CompletableFuture<EmulatorProcess> pubsub;
  private CompletableFuture<EmulatorProcess> auth;

  TestEmulators() {
    try {
      this.workDir = Files.createTempDirectory("cirrus-emulators-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the emulators named in the background, so slow ones overlap. */
  public synchronized TestEmulators prestart(boolean firestore, boolean pubsub, boolean auth) {
    if (firestore) {
      firestoreFuture();
    }
    if (pubsub) {
      pubsubFuture();
    }
    if (auth) {
      authFuture();
    }
    return this;
  }

  public String firestoreHost() {
    return firestoreFuture().join().host();
  }

  public String pubsubHost() {
    return pubsubFuture().join().host();
  }

  public String authHost() {
    return authFuture().join().host();
  }

  public String projectId() {
    return PROJECT_ID;
  }

  public AuthEmulatorClient authClient() {
    return new AuthEmulatorClient(authHost(), PROJECT_ID);
  }

  /** Deletes every document in the test project. */
  public void resetFirestore() {
    delete(
        "http://"
            + firestoreHost()
            + "/emulator/v1/projects/"
            + PROJECT_ID
            + "/databases/(default)/documents");
  }

  /** Deletes every Auth emulator account in the test project. */
  public void resetAuth() {
    delete("http://" + authHost() + "/emulator/v1/projects/" + PROJECT_ID + "/accounts");
  }

  private synchronized CompletableFuture<EmulatorProcess> firestoreFuture() {
    if (firestore == null) {
      firestore =
          launch(
              () -> Emulators.firestore(Emulators.freePort(), PROJECT_ID, workDir.resolve("fs")));
    }
    return firestore;
  }

  private synchronized CompletableFuture<EmulatorProcess> pubsubFuture() {
    if (pubsub == null) {
      pubsub = launch(() -> Emulators.pubsub(Emulators.freePort(), workDir.resolve("ps")));
    }
    return pubsub;
  }

  private synchronized CompletableFuture<EmulatorProcess> authFuture() {
    if (auth == null) {
      ProjectLayout layout = ProjectLayout.locate();
      auth =
          launch(
              () ->
                  Emulators.auth(
                      Emulators.freePort(), PROJECT_ID, layout, workDir.resolve("auth")));
    }
    return auth;
  }

  private interface Launch {
    EmulatorProcess start() throws IOException;
  }

  private CompletableFuture<EmulatorProcess> launch(Launch launch) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            EmulatorProcess process = launch.start();
            synchronized (started) {
              started.add(process);
            }
            return process;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static void delete(String url) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).DELETE().build(),
                  HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("reset failed: " + response.statusCode() + " " + url);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    synchronized (started) {
      started.forEach(EmulatorProcess::close);
      started.clear();
    }
  }
}
