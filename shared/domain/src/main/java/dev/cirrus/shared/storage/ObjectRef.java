package dev.cirrus.shared.storage;

/** An object's address: bucket and name. */
public record ObjectRef(String bucket, String name) {
  public ObjectRef {
    if (bucket == null || bucket.isBlank() || name == null || name.isBlank()) {
      throw new IllegalArgumentException("bucket and name are required");
    }
  }

  @Override
  public String toString() {
    return bucket + "/" + name;
  }
}
