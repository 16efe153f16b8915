package dev.cirrus.shared.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Port: where bytes live. Every operation is safe to repeat: deleting what is gone, or copying onto
 * an identical copy, is not an error.
 */
public interface ObjectStorage {

  /**
   * Opens a resumable upload session for {@code target} that only accepts exactly {@code size}
   * bytes of {@code contentType}, never overwrites an existing object, and checks the declared
   * digests when the upload finishes.
   *
   * @param origin the browser origin that will PUT the bytes, so the session answers its CORS
   * @return the session URI the client PUTs to; it is the only credential the client needs
   */
  URI openResumableUpload(
      ObjectRef target,
      String contentType,
      long size,
      Optional<String> md5,
      Optional<String> crc32c,
      Optional<String> origin);

  /** Cancels a session; a finished, cancelled or unknown session is not an error. */
  void cancelResumableUpload(URI session);

  Optional<StoredObject> stat(ObjectRef ref);

  /** The bytes of one generation; fails with {@link ObjectGone} when it no longer exists. */
  InputStream read(ObjectRef ref, long generation);

  /** Writes a small object whole, replacing any previous one. */
  StoredObject write(ObjectRef ref, String contentType, byte[] bytes);

  /**
   * Writes what {@code body} writes, streamed through a bounded buffer (never held whole),
   * replacing any previous object. The object appears only when {@code body} returns: if it throws,
   * nothing is written.
   */
  StoredObject writeStreamed(ObjectRef ref, String contentType, BodyWriter body);

  /** Where a streamed object's bytes come from. */
  @FunctionalInterface
  interface BodyWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Cloud Storage composes at most this many sources in one request. */
  int MAX_COMPOSE_SOURCES = 32;

  /**
   * Concatenates up to {@link #MAX_COMPOSE_SOURCES} live objects of {@code target}'s bucket, in
   * order, into {@code target}, replacing it.
   *
   * @throws ObjectGone when a source does not exist
   */
  StoredObject compose(List<ObjectRef> sources, ObjectRef target, String contentType);

  /** Copies one generation of {@code from} to {@code to}, replacing any previous object. */
  StoredObject copy(ObjectRef from, long generation, ObjectRef to);

  /** Deletes the object if present. */
  void delete(ObjectRef ref);

  /** Deletes that generation if it is still the live one; anything else is left alone. */
  void delete(ObjectRef ref, long generation);

  /**
   * A signed GET URL valid for {@code ttl}.
   *
   * @param contentDisposition the {@code Content-Disposition} the download is served with
   */
  SignedUrl signedDownload(ObjectRef ref, Duration ttl, Optional<String> contentDisposition);

  /** The object to read is gone (deleted, or replaced by another generation). */
  final class ObjectGone extends RuntimeException {
    public ObjectGone(ObjectRef ref, Throwable cause) {
      super(ref + " is gone", cause);
    }
  }

  /** Up to {@code limit} live objects whose names start with {@code prefix}, in name order. */
  List<ObjectRef> list(String bucket, String prefix, int limit);
}
