package dev.cirrus.shared.adapter.gcs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auth.Credentials;
import com.google.auth.ServiceAccountSigner;
import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import dev.cirrus.shared.error.Unavailable;
import dev.cirrus.shared.storage.ObjectRef;
import dev.cirrus.shared.storage.ObjectStorage;
import dev.cirrus.shared.storage.SignedUrl;
import dev.cirrus.shared.storage.StoredObject;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@link ObjectStorage} on Cloud Storage (or the project's emulator, through the same client).
 * Resumable sessions are opened with one JSON API call of our own, because the client library only
 * opens sessions it then writes to itself; the session URI it returns is all a client needs.
 */
public final class GcsObjectStorage implements ObjectStorage {
  private static final String PRODUCTION_HOST = "https://storage.googleapis.com";

  /** What a streamed write holds before it sends a chunk: a multiple of 256 KiB, as required. */
  private static final int STREAM_CHUNK = 2 * 1024 * 1024;

  private final Supplier<Storage> storage;
  private final Optional<String> emulatorHost;
  private final HttpClient http;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final Supplier<Optional<ServiceAccountSigner>> signer;

  /**
   * @param emulatorHost {@code http://host:port} of the emulator, if any
   * @param signer signs download URLs; empty means the client's own credentials do (on Cloud
   *     Functions: the function's service account, through IAM {@code signBlob})
   */
  public GcsObjectStorage(
      Supplier<Storage> storage,
      Optional<String> emulatorHost,
      HttpClient http,
      ObjectMapper mapper,
      Clock clock,
      Supplier<Optional<ServiceAccountSigner>> signer) {
    this.storage = storage;
    this.emulatorHost = emulatorHost;
    this.http = http;
    this.mapper = mapper;
    this.clock = clock;
    this.signer = signer;
  }

  @Override
  public URI openResumableUpload(
      ObjectRef target,
      String contentType,
      long size,
      Optional<String> md5,
      Optional<String> crc32c,
      Optional<String> origin) {
    ObjectNode body = mapper.createObjectNode();
    body.put("name", target.name());
    body.put("contentType", contentType);
    md5.ifPresent(v -> body.put("md5Hash", v));
    crc32c.ifPresent(v -> body.put("crc32c", v));
    URI uri =
        URI.create(
            emulatorHost.orElse(PRODUCTION_HOST)
                + "/upload/storage/v1/b/"
                + encode(target.bucket())
                + "/o?uploadType=resumable&ifGenerationMatch=0&name="
                + encode(target.name()));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json; charset=UTF-8")
            .header("X-Upload-Content-Type", contentType)
            .header("X-Upload-Content-Length", Long.toString(size))
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    origin.ifPresent(o -> request.header("Origin", o));
    authorize(request, uri);
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      Optional<String> location = response.headers().firstValue("Location");
      if (response.statusCode() != 200 || location.isEmpty()) {
        throw new Unavailable(
            "Cloud Storage refused to open an upload session (" + response.statusCode() + ")",
            null);
      }
      return URI.create(location.get());
    } catch (IOException e) {
      throw new Unavailable("Cloud Storage is unreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted", e);
    }
  }

  /** The client library's credentials, so sessions are opened as the function's own account. */
  private void authorize(HttpRequest.Builder request, URI uri) {
    if (emulatorHost.isPresent()) {
      return;
    }
    try {
      Credentials credentials = storage.get().getOptions().getCredentials();
      for (Map.Entry<String, List<String>> header :
          credentials.getRequestMetadata(uri).entrySet()) {
        for (String value : header.getValue()) {
          request.header(header.getKey(), value);
        }
      }
    } catch (IOException e) {
      throw new Unavailable("cannot obtain credentials for Cloud Storage", e);
    }
  }

  @Override
  public void cancelResumableUpload(URI session) {
    // Cloud Storage answers 499 to a cancelled session and 404/410 to a finished or unknown one:
    // all mean the session takes no more bytes. Failures are left to expire on their own.
    try {
      http.send(
          HttpRequest.newBuilder(session).timeout(Duration.ofSeconds(10)).DELETE().build(),
          HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      // expires within a week anyway; nothing is stored under it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public Optional<StoredObject> stat(ObjectRef ref) {
    Blob blob = call(() -> storage.get().get(BlobId.of(ref.bucket(), ref.name())));
    return Optional.ofNullable(blob).map(GcsObjectStorage::toStored);
  }

  @Override
  public InputStream read(ObjectRef ref, long generation) {
    ReadChannel channel = storage.get().reader(BlobId.of(ref.bucket(), ref.name(), generation));
    channel.setChunkSize(2 * 1024 * 1024);
    return new FilterInputStream(Channels.newInputStream(channel)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return super.read(b, off, len);
        } catch (IOException | StorageException e) {
          Optional<ObjectGone> gone = gone(ref, e);
          if (gone.isPresent()) {
            throw gone.get();
          }
          throw e;
        }
      }
    };
  }

  @Override
  public StoredObject write(ObjectRef ref, String contentType, byte[] bytes) {
    BlobInfo info =
        BlobInfo.newBuilder(ref.bucket(), ref.name()).setContentType(contentType).build();
    return toStored(call(() -> storage.get().create(info, bytes)));
  }

  @Override
  public StoredObject writeStreamed(ObjectRef ref, String contentType, BodyWriter body) {
    BlobInfo info =
        BlobInfo.newBuilder(ref.bucket(), ref.name()).setContentType(contentType).build();
    // A resumable upload: the client sends a chunk whenever its buffer fills, and the object
    // appears when the channel is closed. A body that fails leaves the channel unclosed, so the
    // half-sent session is dropped (Cloud Storage discards it after a week) and nothing is written.
    WriteChannel channel = call(() -> storage.get().writer(info));
    channel.setChunkSize(STREAM_CHUNK);
    try {
      OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
      body.writeTo(out);
      out.flush();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (StorageException e) {
      throw translate(e);
    }
    return stat(ref).orElseThrow(() -> new ObjectGone(ref, null));
  }

  @Override
  public StoredObject compose(List<ObjectRef> sources, ObjectRef target, String contentType) {
    Storage.ComposeRequest.Builder request =
        Storage.ComposeRequest.newBuilder()
            .setTarget(
                BlobInfo.newBuilder(target.bucket(), target.name())
                    .setContentType(contentType)
                    .build());
    sources.forEach(source -> request.addSource(source.name()));
    try {
      return toStored(storage.get().compose(request.build()));
    } catch (StorageException e) {
      if (e.getCode() == 404) {
        throw new ObjectGone(target, e);
      }
      throw translate(e);
    }
  }

  @Override
  public StoredObject copy(ObjectRef from, long generation, ObjectRef to) {
    Storage.CopyRequest request =
        Storage.CopyRequest.newBuilder()
            .setSource(BlobId.of(from.bucket(), from.name(), generation))
            .setTarget(BlobId.of(to.bucket(), to.name()))
            .build();
    try {
      return toStored(storage.get().copy(request).getResult());
    } catch (StorageException e) {
      if (e.getCode() == 404) {
        throw new ObjectGone(from, e);
      }
      throw translate(e);
    }
  }

  @Override
  public void delete(ObjectRef ref) {
    call(() -> storage.get().delete(BlobId.of(ref.bucket(), ref.name())));
  }

  @Override
  public List<ObjectRef> list(String bucket, String prefix, int limit) {
    List<ObjectRef> found = new ArrayList<>();
    call(
        () -> {
          for (Blob blob :
              storage
                  .get()
                  .list(
                      bucket,
                      Storage.BlobListOption.prefix(prefix),
                      Storage.BlobListOption.pageSize(limit))
                  .getValues()) {
            if (found.size() == limit) {
              break;
            }
            found.add(new ObjectRef(bucket, blob.getName()));
          }
          return null;
        });
    return List.copyOf(found);
  }

  @Override
  public void delete(ObjectRef ref, long generation) {
    try {
      storage
          .get()
          .delete(
              BlobId.of(ref.bucket(), ref.name()),
              Storage.BlobSourceOption.generationMatch(generation));
    } catch (StorageException e) {
      if (e.getCode() != 412 && e.getCode() != 404) {
        throw translate(e);
      }
      // another generation is live now, or nothing is: either way ours is gone
    }
  }

  @Override
  public SignedUrl signedDownload(
      ObjectRef ref, Duration ttl, Optional<String> contentDisposition) {
    List<Storage.SignUrlOption> options = new ArrayList<>();
    options.add(Storage.SignUrlOption.withV4Signature());
    emulatorHost.ifPresent(
        host -> {
          options.add(Storage.SignUrlOption.withHostName(host));
          options.add(Storage.SignUrlOption.withPathStyle());
        });
    signer.get().ifPresent(s -> options.add(Storage.SignUrlOption.signWith(s)));
    contentDisposition.ifPresent(
        cd ->
            options.add(
                Storage.SignUrlOption.withQueryParams(Map.of("response-content-disposition", cd))));
    var expiresAt = clock.instant().plus(ttl);
    var url =
        call(
            () ->
                storage
                    .get()
                    .signUrl(
                        BlobInfo.newBuilder(ref.bucket(), ref.name()).build(),
                        ttl.toSeconds(),
                        TimeUnit.SECONDS,
                        options.toArray(Storage.SignUrlOption[]::new)));
    try {
      return new SignedUrl(url.toURI(), expiresAt);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("the client signed a malformed URL", e);
    }
  }

  private static StoredObject toStored(Blob blob) {
    return new StoredObject(
        new ObjectRef(blob.getBucket(), blob.getName()),
        blob.getGeneration() == null ? 0 : blob.getGeneration(),
        blob.getSize() == null ? 0 : blob.getSize(),
        blob.getContentType() == null ? "application/octet-stream" : blob.getContentType(),
        Optional.ofNullable(blob.getMd5()),
        Optional.ofNullable(blob.getCrc32c()),
        blob.getMetadata() == null ? Map.of() : stripNulls(blob.getMetadata()));
  }

  private static Map<String, String> stripNulls(Map<String, String> metadata) {
    Map<String, String> clean = new HashMap<>();
    metadata.forEach(
        (k, v) -> {
          if (k != null && v != null) {
            clean.put(k, v);
          }
        });
    return clean;
  }

  private static Optional<ObjectGone> gone(ObjectRef ref, Exception e) {
    Throwable t = e;
    while (t != null) {
      if (t instanceof StorageException se && (se.getCode() == 404 || se.getCode() == 412)) {
        return Optional.of(new ObjectGone(ref, e));
      }
      t = t.getCause();
    }
    return Optional.empty();
  }

  private static <T> T call(Supplier<T> action) {
    try {
      return action.get();
    } catch (StorageException e) {
      throw translate(e);
    }
  }

  private static RuntimeException translate(StorageException e) {
    return e.isRetryable() || e.getCode() >= 500 || e.getCode() == 429
        ? new Unavailable("Cloud Storage is unavailable, try again", e)
        : e;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
