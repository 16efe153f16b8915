package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.storage.ObjectRef;
import dev.cirrus.shared.storage.ObjectStorage;
import dev.cirrus.shared.storage.SignedUrl;
import dev.cirrus.shared.storage.StoredObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * {@link ObjectStorage} in memory, held to the same contract as the Cloud Storage adapter: objects
 * with generations and digests, resumable sessions that take exactly their declared bytes and never
 * overwrite, and reads of a replaced generation that fail as gone. {@link #upload} stands for the
 * client's PUT to a session.
 */
public final class InMemoryObjectStorage implements ObjectStorage {
  private record Blob(StoredObject meta, byte[] bytes) {}

  private record Session(
      ObjectRef target,
      String contentType,
      long size,
      Optional<String> md5,
      Optional<String> crc32c) {}

  private final Map<ObjectRef, Blob> objects = new HashMap<>();
  private final Map<URI, Session> sessions = new HashMap<>();
  private final Clock clock;
  private long generations = 1_000_000;

  public InMemoryObjectStorage(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized URI openResumableUpload(
      ObjectRef target,
      String contentType,
      long size,
      Optional<String> md5,
      Optional<String> crc32c,
      Optional<String> origin) {
    URI session = URI.create("memory://sessions/" + UUID.randomUUID());
    sessions.put(session, new Session(target, contentType, size, md5, crc32c));
    return session;
  }

  /**
   * The client sends {@code bytes} to the session in one request.
   *
   * @return whether the session took them: it refuses a wrong length or digest, an existing object,
   *     and any session that is finished, cancelled or unknown
   */
  public synchronized boolean upload(URI session, byte[] bytes) {
    Session s = sessions.remove(session);
    if (s == null || bytes.length != s.size() || objects.containsKey(s.target())) {
      return false;
    }
    StoredObject meta = meta(s.target(), s.contentType(), bytes);
    if (s.md5().filter(d -> !d.equals(meta.md5().orElseThrow())).isPresent()
        || s.crc32c().filter(d -> !d.equals(meta.crc32c().orElseThrow())).isPresent()) {
      return false;
    }
    objects.put(s.target(), new Blob(meta, bytes));
    return true;
  }

  @Override
  public synchronized void cancelResumableUpload(URI session) {
    sessions.remove(session);
  }

  @Override
  public synchronized Optional<StoredObject> stat(ObjectRef ref) {
    return Optional.ofNullable(objects.get(ref)).map(Blob::meta);
  }

  @Override
  public synchronized InputStream read(ObjectRef ref, long generation) {
    return new ByteArrayInputStream(live(ref, generation).bytes());
  }

  @Override
  public synchronized StoredObject write(ObjectRef ref, String contentType, byte[] bytes) {
    StoredObject meta = meta(ref, contentType, bytes.clone());
    objects.put(ref, new Blob(meta, bytes.clone()));
    return meta;
  }

  @Override
  public StoredObject writeStreamed(ObjectRef ref, String contentType, BodyWriter body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      body.writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return write(ref, contentType, out.toByteArray());
  }

  @Override
  public synchronized StoredObject compose(
      List<ObjectRef> sources, ObjectRef target, String contentType) {
    if (sources.isEmpty() || sources.size() > MAX_COMPOSE_SOURCES) {
      throw new IllegalArgumentException("compose takes 1 to 32 sources, not " + sources.size());
    }
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (ObjectRef source : sources) {
      Blob blob = objects.get(source);
      if (blob == null || !source.bucket().equals(target.bucket())) {
        throw new ObjectGone(source, new IOException("no object " + source));
      }
      joined.writeBytes(blob.bytes());
    }
    return write(target, contentType, joined.toByteArray());
  }

  @Override
  public synchronized StoredObject copy(ObjectRef from, long generation, ObjectRef to) {
    Blob source = live(from, generation);
    return write(to, source.meta().contentType(), source.bytes());
  }

  @Override
  public synchronized void delete(ObjectRef ref) {
    objects.remove(ref);
  }

  @Override
  public synchronized void delete(ObjectRef ref, long generation) {
    Blob blob = objects.get(ref);
    if (blob != null && blob.meta().generation() == generation) {
      objects.remove(ref);
    }
  }

  @Override
  public SignedUrl signedDownload(
      ObjectRef ref, Duration ttl, Optional<String> contentDisposition) {
    return new SignedUrl(
        URI.create("memory://" + ref.bucket() + "/" + ref.name() + "?expires=" + ttl.toSeconds()),
        clock.instant().plus(ttl));
  }

  private Blob live(ObjectRef ref, long generation) {
    Blob blob = objects.get(ref);
    if (blob == null || blob.meta().generation() != generation) {
      throw new ObjectGone(ref, new IOException("no generation " + generation + " of " + ref));
    }
    return blob;
  }

  private StoredObject meta(ObjectRef ref, String contentType, byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return new StoredObject(
        ref,
        ++generations,
        bytes.length,
        contentType,
        Optional.of(Base64.getEncoder().encodeToString(md5(bytes))),
        Optional.of(
            Base64.getEncoder()
                .encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array())),
        Map.of());
  }

  private static byte[] md5(byte[] bytes) {
    try {
      return MessageDigest.getInstance("MD5").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized List<ObjectRef> list(String bucket, String prefix, int limit) {
    return objects.keySet().stream()
        .filter(ref -> ref.bucket().equals(bucket) && ref.name().startsWith(prefix))
        .sorted(Comparator.comparing(ObjectRef::name))
        .limit(limit)
        .toList();
  }
}
