package dev.cirrus.shared.testing;

import dev.cirrus.shared.storage.ObjectRef;
import dev.cirrus.shared.storage.ObjectStorage;
import dev.cirrus.shared.storage.SignedUrl;
import dev.cirrus.shared.storage.StoredObject;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An {@link ObjectStorage} that hands every call to another: a test overrides the one call it
 * watches or breaks (counting what is read, dying before a delete).
 */
public class ForwardingObjectStorage implements ObjectStorage {
  private final ObjectStorage delegate;

  public ForwardingObjectStorage(ObjectStorage delegate) {
    this.delegate = delegate;
  }

  @Override
  public URI openResumableUpload(
      ObjectRef target,
      String contentType,
      long size,
      Optional<String> md5,
      Optional<String> crc32c,
      Optional<String> origin) {
    return delegate.openResumableUpload(target, contentType, size, md5, crc32c, origin);
  }

  @Override
  public void cancelResumableUpload(URI session) {
    delegate.cancelResumableUpload(session);
  }

  @Override
  public Optional<StoredObject> stat(ObjectRef ref) {
    return delegate.stat(ref);
  }

  @Override
  public InputStream read(ObjectRef ref, long generation) {
    return delegate.read(ref, generation);
  }

  @Override
  public StoredObject write(ObjectRef ref, String contentType, byte[] bytes) {
    return delegate.write(ref, contentType, bytes);
  }

  @Override
  public StoredObject copy(ObjectRef from, long generation, ObjectRef to) {
    return delegate.copy(from, generation, to);
  }

  @Override
  public void delete(ObjectRef ref) {
    delegate.delete(ref);
  }

  @Override
  public void delete(ObjectRef ref, long generation) {
    delegate.delete(ref, generation);
  }

  @Override
  public SignedUrl signedDownload(
      ObjectRef ref, Duration ttl, Optional<String> contentDisposition) {
    return delegate.signedDownload(ref, ttl, contentDisposition);
  }

  @Override
  public List<ObjectRef> list(String bucket, String prefix, int limit) {
    return delegate.list(bucket, prefix, limit);
  }

  @Override
  public StoredObject writeStreamed(ObjectRef ref, String contentType, BodyWriter body) {
    return delegate.writeStreamed(ref, contentType, body);
  }

  @Override
  public StoredObject compose(List<ObjectRef> sources, ObjectRef target, String contentType) {
    return delegate.compose(sources, target, contentType);
  }
}
