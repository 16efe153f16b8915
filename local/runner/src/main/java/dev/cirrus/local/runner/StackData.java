package dev.cirrus.local.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cirrus.local.emulators.EmulatorProcess;
import dev.cirrus.local.emulators.Emulators;
import dev.cirrus.local.emulators.ProjectLayout;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/**
 * What the local stack holds, saved and restored together ({@code local/export DIR}, {@code
 * local/run --import DIR}): the Firestore emulator's own export, the Auth emulator's accounts and
 * config as the Firebase CLI exports them, and the storage emulator's buckets. The directory also
 * holds {@code firebase-export-metadata.json}, so {@code firebase emulators:start --import DIR}
 * reads its Firestore and Auth parts too. Pub/Sub is not saved: its topics are made at every start
 * and a message still in flight is lost, as the Firebase CLI does too. Redis holds only caches and
 * rate limits.
 */
public final class StackData {
  static final String MANIFEST = "cirrus-export.json";
  private static final String FIREBASE_METADATA = "firebase-export-metadata.json";
  private static final String FIRESTORE = "firestore_export";
  private static final String AUTH = "auth_export";
  private static final String STORAGE = "storage";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private StackData() {}

  /** Where a stack starts from: empty, or a directory {@link #export} wrote. */
  public record Seed(Optional<Path> dir) {
    public static final Seed EMPTY = new Seed(Optional.empty());

    /**
     * @throws IllegalArgumentException when {@code dir} holds no export, or one of another project
     */
    static Seed from(Path dir, String projectId) throws IOException {
      Path manifest = dir.resolve(MANIFEST);
      if (!Files.isRegularFile(manifest)) {
        throw new IllegalArgumentException(
            dir
                + " holds no export of the local stack (no "
                + MANIFEST
                + "): make one with"
                + " local/export DIR");
      }
      String exported = JSON.readTree(manifest.toFile()).path("projectId").asText();
      if (!exported.equals(projectId)) {
        throw new IllegalArgumentException(
            dir + " is an export of project " + exported + ", not " + projectId);
      }
      return new Seed(Optional.of(dir.toAbsolutePath()));
    }

    /** The Firestore emulator's {@code --seed_from_export} file, if any. */
    Optional<Path> firestoreMetadata() {
      return dir.map(d -> d.resolve(FIRESTORE).resolve(FIRESTORE + ".overall_export_metadata"));
    }

    /** The storage emulator's data directory as it was exported, if any. */
    Optional<Path> storage() {
      return dir.map(d -> d.resolve(STORAGE));
    }

    /** The Auth emulator, holding the seed's accounts and config. */
    EmulatorProcess startAuth(int port, String projectId, ProjectLayout layout, Path workDir)
        throws IOException {
      EmulatorProcess started = Emulators.auth(port, projectId, layout, workDir);
      try {
        restoreAuth(started.host(), projectId);
      } catch (RuntimeException e) {
        started.close();
        throw e;
      }
      return started;
    }

    /**
     * Loads the exported config and accounts into a started Auth emulator, as the Firebase CLI's
     * {@code --import} does (the same two calls, with the emulator's owner credential).
     */
    private void restoreAuth(String authHost, String projectId) {
      if (dir.isEmpty()) {
        return;
      }
      Path auth = dir.get().resolve(AUTH);
      send(
          "PATCH",
          "http://" + authHost + "/emulator/v1/projects/" + projectId + "/config",
          auth.resolve("config.json"));
      Path accounts = auth.resolve("accounts.json");
      try {
        if (JSON.readTree(accounts.toFile()).path("users").isEmpty()) {
          return; // an export of a stack nobody had signed up to: nothing to create
        }
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + accounts, e);
      }
      send(
          "POST",
          "http://"
              + authHost
              + "/identitytoolkit.googleapis.com/v1/projects/"
              + projectId
              + "/accounts:batchCreate",
          accounts);
    }
  }

  /**
   * Saves the running stack's data in {@code target} (which must be empty or absent): Firestore
   * through its emulator's export, the Auth emulator's accounts and config, then the storage
   * emulator's catalog and the blobs it names. Done while the stack runs; an upload finishing
   * meanwhile may be in one part and not the other, so export a quiet stack for an exact copy.
   */
  static void export(
      String projectId, String firestoreHost, String authHost, Path storageData, Path target)
      throws IOException {
    Files.createDirectories(target);
    try (var existing = Files.list(target)) {
      if (existing.findAny().isPresent()) {
        throw new IllegalArgumentException(target + " is not empty: export into a new directory");
      }
    }
    Path dir = target.toAbsolutePath();
    ObjectNode firestore = JSON.createObjectNode();
    firestore.put("database", "projects/" + projectId + "/databases/(default)");
    firestore.put("export_directory", dir.toString());
    firestore.put("export_name", FIRESTORE);
    send(
        "POST",
        "http://" + firestoreHost + "/emulator/v1/projects/" + projectId + ":export",
        firestore.toString());
    Path auth = Files.createDirectories(dir.resolve(AUTH));
    Files.writeString(
        auth.resolve("accounts.json"),
        get(
            "http://"
                + authHost
                + "/identitytoolkit.googleapis.com/v1/projects/"
                + projectId
                + "/accounts:batchGet?maxResults=-1"));
    Files.writeString(
        auth.resolve("config.json"),
        get("http://" + authHost + "/emulator/v1/projects/" + projectId + "/config"));
    copyStorage(storageData, dir.resolve(STORAGE));
    ObjectNode metadata = JSON.createObjectNode();
    metadata
        .putObject("firestore")
        .put("path", FIRESTORE)
        .put("metadata_file", FIRESTORE + "/" + FIRESTORE + ".overall_export_metadata");
    metadata.putObject("auth").put("path", AUTH);
    JSON.writerWithDefaultPrettyPrinter()
        .writeValue(dir.resolve(FIREBASE_METADATA).toFile(), metadata);
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("projectId", projectId);
    manifest.put("exportedAt", Instant.now().toString());
    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(MANIFEST).toFile(), manifest);
  }

  /**
   * The storage emulator's catalog first, then each blob an object there names. Every catalog file
   * and blob is replaced or moved into place whole, so each copy is whole; an object deleted
   * between the two steps has no blob left and is left out, as if exported a moment later.
   */
  private static void copyStorage(Path data, Path target) throws IOException {
    Path catalog = data.resolve("catalog");
    Path blobs = Files.createDirectories(target.resolve("blobs"));
    Files.createDirectories(target.resolve("catalog/buckets"));
    Files.createDirectories(target.resolve("catalog/objects"));
    for (String kind : new String[] {"buckets", "objects"}) {
      Path from = catalog.resolve(kind);
      if (!Files.isDirectory(from)) {
        continue;
      }
      try (var files = Files.list(from)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
          byte[] bytes;
          try {
            bytes = Files.readAllBytes(file);
          } catch (NoSuchFileException deleted) {
            continue;
          }
          if (kind.equals("objects")) {
            String blob = JSON.readTree(bytes).path("blobId").asText();
            Path source = data.resolve("blobs").resolve(blob);
            try {
              Files.copy(source, blobs.resolve(blob), StandardCopyOption.REPLACE_EXISTING);
            } catch (NoSuchFileException deleted) {
              continue;
            }
          }
          Files.write(target.resolve("catalog").resolve(kind).resolve(file.getFileName()), bytes);
        }
      }
    }
  }

  /** Makes {@code data} the storage emulator's data directory: the seed's copy, or empty. */
  static void prepareStorage(Path data, Seed seed) throws IOException {
    if (Files.exists(data)) {
      try (var files = Files.walk(data)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    if (seed.storage().isEmpty()) {
      return;
    }
    Path from = seed.storage().get();
    try (var files = Files.walk(from)) {
      for (Path source : files.toList()) {
        Path copy = data.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(source, copy);
        }
      }
    }
  }

  private static String get(String url) {
    return call(HttpRequest.newBuilder(URI.create(url)).GET(), url);
  }

  private static void send(String method, String url, Path body) {
    try {
      send(method, url, Files.readString(body));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + body, e);
    }
  }

  private static void send(String method, String url, String body) {
    call(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body)),
        url);
  }

  /** One call with the emulators' owner credential; anything but 2xx is an error naming it. */
  private static String call(HttpRequest.Builder request, String url) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              request
                  .header("Authorization", "Bearer owner")
                  .timeout(Duration.ofMinutes(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            url + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new InterruptedIOException(url));
    }
  }
}
