package dev.cirrus.local.storage.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Blobs as files in a data directory, streamed through a small buffer: memory stays flat whatever
 * the object size.
 */
public final class FileBlobStore implements BlobStore {
  private static final int BUFFER = 64 * 1024;
  private final Path dir;

  /** Digests of unfinished blobs, updated as chunks arrive so finishing needs no second pass. */
  private final java.util.Map<String, Digests> partialDigests =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final java.util.Set<String> dirty = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public FileBlobStore(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
  }

  @Override
  public StoredBlob write(InputStream in) throws IOException {
    String id = UUID.randomUUID().toString();
    Path target = dir.resolve(id);
    Path partial = dir.resolve(id + ".part");
    Digests digests = new Digests();
    try (OutputStream out = Files.newOutputStream(partial)) {
      byte[] buffer = new byte[BUFFER];
      int n;
      while ((n = in.read(buffer)) != -1) {
        digests.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    return digests.toBlob(id);
  }

  @Override
  public String begin() throws IOException {
    String id = UUID.randomUUID().toString();
    Files.createFile(dir.resolve(id + ".part"));
    partialDigests.put(id, new Digests());
    return id;
  }

  @Override
  public long append(String id, InputStream in, long maxBytes) throws IOException {
    Path partial = dir.resolve(id + ".part");
    Digests digests = partialDigests.get(id);
    if (digests == null) {
      throw new IOException("no unfinished blob " + id);
    }
    synchronized (digests) {
      // A chunk refused half-way is cut back off the file; the running digests then no longer
      // match it, so finish() hashes the file again (the rare path; the usual one is one pass).
      long before = Files.size(partial);
      try (OutputStream out = Files.newOutputStream(partial, StandardOpenOption.APPEND)) {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
          total += n;
          if (total > maxBytes) {
            throw new IOException("chunk longer than declared");
          }
          digests.update(buffer, 0, n);
          out.write(buffer, 0, n);
        }
      } catch (IOException e) {
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
          channel.truncate(before);
        }
        dirty.add(id);
        throw e;
      }
      return Files.size(partial);
    }
  }

  @Override
  public StoredBlob finish(String id) throws IOException {
    Path partial = dir.resolve(id + ".part");
    Digests digests = partialDigests.remove(id);
    if (digests == null) {
      throw new IOException("no unfinished blob " + id);
    }
    if (dirty.remove(id)) {
      digests = new Digests();
      try (InputStream in = Files.newInputStream(partial)) {
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = in.read(buffer)) != -1) {
          digests.update(buffer, 0, n);
        }
      }
    }
    Files.move(partial, dir.resolve(id), StandardCopyOption.ATOMIC_MOVE);
    return digests.toBlob(id);
  }

  @Override
  public InputStream open(String id, long offset, long length) throws IOException {
    FileChannel channel = FileChannel.open(dir.resolve(id), StandardOpenOption.READ);
    channel.position(offset);
    InputStream all = Channels.newInputStream(channel);
    return new BoundedInputStream(all, length);
  }

  @Override
  public StoredBlob copy(String id) throws IOException {
    try (InputStream in = Files.newInputStream(dir.resolve(id))) {
      return write(in);
    }
  }

  @Override
  public void delete(String id) {
    try {
      partialDigests.remove(id);
      dirty.remove(id);
      Files.deleteIfExists(dir.resolve(id));
      Files.deleteIfExists(dir.resolve(id + ".part"));
    } catch (IOException e) {
      // An orphaned file wastes disk but breaks nothing; reset() clears it.
    }
  }

  @Override
  public void clear() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
    }
  }
}
