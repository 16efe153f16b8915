package dev.cirrus.local.storage.blob;

import java.io.IOException;
import java.io.InputStream;

/** Where object bytes live: on disk or in memory. Blobs are immutable once written. */
public interface BlobStore {
  /** Streams {@code in} into a new blob, hashing as it goes; never holds it all in memory. */
  StoredBlob write(InputStream in) throws IOException;

  /** Appends to an unfinished blob (resumable uploads); returns its new size. */
  long append(String id, InputStream in, long maxBytes) throws IOException;

  /** Starts an empty unfinished blob. */
  String begin() throws IOException;

  /** Seals an unfinished blob, computing its digests. */
  StoredBlob finish(String id) throws IOException;

  /** Reads {@code length} bytes from {@code offset}. */
  InputStream open(String id, long offset, long length) throws IOException;

  /** Copies a blob (rewrite, compose); the copy is independent of the original. */
  StoredBlob copy(String id) throws IOException;

  void delete(String id);

  /** Removes every blob. */
  void clear() throws IOException;
}
