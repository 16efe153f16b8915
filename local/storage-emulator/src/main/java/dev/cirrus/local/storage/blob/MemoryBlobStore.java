package dev.cirrus.local.storage.blob;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Blobs in memory, for fast tests. */
public final class MemoryBlobStore implements BlobStore {
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final Map<String, ByteArrayOutputStream> partial = new ConcurrentHashMap<>();

  @Override
  public StoredBlob write(InputStream in) throws IOException {
    String id = UUID.randomUUID().toString();
    byte[] bytes = in.readAllBytes();
    blobs.put(id, bytes);
    return digest(id, bytes);
  }

  @Override
  public String begin() {
    String id = UUID.randomUUID().toString();
    partial.put(id, new ByteArrayOutputStream());
    return id;
  }

  @Override
  public long append(String id, InputStream in, long maxBytes) throws IOException {
    ByteArrayOutputStream out = partial.get(id);
    long cap = Math.min(Integer.MAX_VALUE - 9L, maxBytes);
    byte[] bytes = in.readNBytes((int) cap + 1);
    if (bytes.length > maxBytes) {
      throw new IOException("chunk longer than declared");
    }
    synchronized (out) {
      out.write(bytes);
      return out.size();
    }
  }

  @Override
  public StoredBlob finish(String id) {
    byte[] bytes = partial.remove(id).toByteArray();
    blobs.put(id, bytes);
    return digest(id, bytes);
  }

  @Override
  public InputStream open(String id, long offset, long length) {
    byte[] bytes = blobs.get(id);
    return new ByteArrayInputStream(bytes, (int) offset, (int) length);
  }

  @Override
  public StoredBlob copy(String id) throws IOException {
    return write(new ByteArrayInputStream(blobs.get(id)));
  }

  @Override
  public void delete(String id) {
    blobs.remove(id);
    partial.remove(id);
  }

  @Override
  public void clear() {
    blobs.clear();
    partial.clear();
  }

  private static StoredBlob digest(String id, byte[] bytes) {
    Digests digests = new Digests();
    digests.update(bytes, 0, bytes.length);
    return digests.toBlob(id);
  }
}
