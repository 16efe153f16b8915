package dev.cirrus.local.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cirrus.local.storage.blob.BlobStore;
import dev.cirrus.local.storage.blob.StoredBlob;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * Buckets and objects with Cloud Storage's semantics: generations, metagenerations, preconditions
 * checked atomically with the write (last writer wins otherwise), digests checked when the client
 * declares them, and naming rules.
 */
public final class ObjectStore {
  /** The project of buckets made without one (the local stack names its own). */
  public static final String DEFAULT_PROJECT = "demo-cirrus";

  private final BlobStore blobs;
  private final Clock clock;
  private final BiConsumer<String, ObjectMeta> events;
  private final Catalog catalog;
  private final UploadSessions sessions = new UploadSessions();
  private final HmacKeys hmacKeys;
  private final Map<String, BucketMeta> buckets = new ConcurrentHashMap<>();
  private final Map<String, NavigableMap<String, ObjectMeta>> objects = new ConcurrentHashMap<>();
  private long lastGeneration;

  /**
   * @param events told of every committed change: {@code OBJECT_FINALIZE}, {@code OBJECT_DELETE},
   *     {@code OBJECT_METADATA_UPDATE}, with the object concerned
   */
  public ObjectStore(
      BlobStore blobs, Catalog catalog, Clock clock, BiConsumer<String, ObjectMeta> events) {
    this.blobs = blobs;
    this.catalog = catalog;
    this.clock = clock;
    this.events = events;
    this.hmacKeys = new HmacKeys(clock);
    for (BucketMeta bucket : catalog.buckets()) {
      buckets.put(bucket.name(), bucket);
      objects.put(bucket.name(), new TreeMap<>());
    }
    for (ObjectMeta object : catalog.objects()) {
      NavigableMap<String, ObjectMeta> inBucket = objects.get(object.bucket());
      if (inBucket != null) {
        inBucket.put(object.name(), object);
        lastGeneration = Math.max(lastGeneration, object.generation());
      }
    }
  }

  /** A bucket with the service's defaults, in the default local project. */
  public BucketMeta createBucket(String name) {
    return createBucket(name, DEFAULT_PROJECT, JsonNodeFactory.instance.objectNode(), null, null);
  }

  /**
   * A bucket as {@code buckets.insert} makes it.
   *
   * @param body the bucket resource the client sent (writable fields, ACLs)
   * @param predefinedAcl the {@code predefinedAcl} parameter, or null
   * @param predefinedDefaultObjectAcl the {@code predefinedDefaultObjectAcl} parameter, or null
   */
  public synchronized BucketMeta createBucket(
      String name,
      String project,
      JsonNode body,
      String predefinedAcl,
      String predefinedDefaultObjectAcl) {
    BucketNames.validate(name);
    if (buckets.containsKey(name)) {
      throw StorageError.conflict(
          "Your previous request to create the named bucket succeeded and you already own it.");
    }
    Instant now = clock.instant();
    ObjectNode settings = BucketSettings.forInsert(body, now);
    String number = Projects.number(project);
    boolean uniform = BucketSettings.uniform(settings);
    if (uniform && (predefinedAcl != null || predefinedDefaultObjectAcl != null)) {
      throw Acl.refusedOnUniformAccess("use a predefined", "a bucket");
    }
    AclList acl =
        predefinedAcl != null
            ? AclList.predefined(predefinedAcl, Acl.Scope.BUCKET, number)
            : AclList.of(body.get("acl"), Acl.Scope.BUCKET, AclList.projectDefault(number));
    AclList defaultObjectAcl =
        predefinedDefaultObjectAcl != null
            ? AclList.predefined(predefinedDefaultObjectAcl, Acl.Scope.OBJECT, number)
            : AclList.of(
                body.get("defaultObjectAcl"), Acl.Scope.OBJECT, AclList.projectDefault(number));
    BucketMeta bucket =
        new BucketMeta(
            name,
            project,
            now,
            now,
            1,
            settings,
            acl,
            defaultObjectAcl,
            IamPolicy.projectDefault(project));
    catalog.saveBucket(bucket);
    buckets.put(name, bucket);
    objects.put(name, new TreeMap<>());
    return bucket;
  }

  public BucketMeta bucket(String name) {
    BucketMeta bucket = buckets.get(name);
    if (bucket == null) {
      throw StorageError.notFound("The specified bucket does not exist.");
    }
    return bucket;
  }

  /** The bucket, if its metageneration satisfies {@code conditions}. */
  public synchronized BucketMeta bucket(String name, BucketPreconditions conditions) {
    BucketMeta bucket = bucket(name);
    conditions.check(bucket);
    return bucket;
  }

  /**
   * Applies a change to a bucket atomically, if {@code conditions} hold. The change answers the
   * bucket itself when there is nothing to change.
   */
  public synchronized BucketMeta updateBucket(
      String name, BucketPreconditions conditions, BucketChange change) {
    BucketMeta current = bucket(name, conditions);
    BucketMeta next = change.apply(current, clock.instant());
    if (next != current) {
      catalog.saveBucket(next);
      buckets.put(name, next);
    }
    return next;
  }

  /** What a bucket becomes in one update. */
  public interface BucketChange {
    BucketMeta apply(BucketMeta current, Instant now);
  }

  public List<BucketMeta> buckets() {
    return new TreeMap<>(buckets).values().stream().toList();
  }

  public synchronized void deleteBucket(String name, BucketPreconditions conditions) {
    bucket(name, conditions);
    if (!objects.get(name).isEmpty()) {
      throw StorageError.conflict("The bucket you tried to delete is not empty.");
    }
    catalog.deleteBucket(name);
    buckets.remove(name);
    objects.remove(name);
  }

  /** Changes the ACL of the object's live generation (one more metageneration). */
  public ObjectMeta updateObjectAcl(
      String bucket, String name, Preconditions conditions, UnaryOperator<AclList> change) {
    ObjectMeta updated;
    synchronized (this) {
      ObjectMeta current = get(bucket, name, conditions);
      updated = current.withAcl(change.apply(current.acl()), clock.instant());
      catalog.saveObject(updated);
      objectsOf(bucket).put(name, updated);
    }
    events.accept(Notifications.METADATA_UPDATE, updated);
    return updated;
  }

  /**
   * Makes {@code blob} the live generation of the object if the preconditions hold; otherwise, or
   * when declared digests do not match, the blob is discarded.
   */
  public ObjectMeta insert(
      String bucket, String name, StoredBlob blob, ObjectFields fields, Preconditions conditions) {
    try {
      ObjectNames.validate(name);
      if (fields.md5Hash() != null && !fields.md5Hash().equals(blob.md5())) {
        throw StorageError.digestMismatch(
            "Provided MD5 hash \""
                + fields.md5Hash()
                + "\" doesn't match calculated MD5 hash \""
                + blob.md5()
                + "\".");
      }
      if (fields.crc32c() != null && !fields.crc32c().equals(blob.crc32c())) {
        throw StorageError.digestMismatch(
            "Provided CRC32C \""
                + fields.crc32c()
                + "\" doesn't match calculated CRC32C \""
                + blob.crc32c()
                + "\".");
      }
      ObjectMeta previous;
      ObjectMeta created;
      synchronized (this) {
        NavigableMap<String, ObjectMeta> inBucket = objectsOf(bucket);
        AclList acl = newObjectAcl(buckets.get(bucket), fields.predefinedAcl());
        previous = inBucket.get(name);
        conditions.check(previous);
        Instant now = clock.instant();
        created =
            new ObjectMeta(
                bucket,
                name,
                nextGeneration(now),
                1,
                new ObjectMeta.Content(blob.size(), blob.md5(), blob.crc32c(), blob.id()),
                fields.headers(
                    fields.contentType() == null
                        ? "application/octet-stream"
                        : fields.contentType()),
                now,
                now,
                acl);
        catalog.saveObject(created);
        inBucket.put(name, created);
      }
      if (previous != null) {
        blobs.delete(previous.blobId());
      }
      events.accept(Notifications.FINALIZE, created);
      return created;
    } catch (RuntimeException e) {
      blobs.delete(blob.id());
      throw e;
    }
  }

  /** A new object's ACL: the one asked for, or the bucket's default object ACL. */
  private static AclList newObjectAcl(BucketMeta bucket, String predefinedAcl) {
    if (predefinedAcl == null) {
      return bucket.defaultObjectAcl();
    }
    if (bucket.uniform()) {
      throw Acl.refusedOnUniformAccess("insert", "an object");
    }
    return AclList.predefined(predefinedAcl, Acl.Scope.OBJECT, bucket.projectNumber());
  }

  public synchronized ObjectMeta get(String bucket, String name, Preconditions conditions) {
    ObjectMeta meta = objectsOf(bucket).get(name);
    if (meta == null) {
      if (conditions.ifGenerationMatch().isPresent()) {
        conditions.check(null);
      }
      throw StorageError.notFound("No such object: " + bucket + "/" + name);
    }
    if (!conditions.selects(meta)) {
      throw StorageError.notFound(
          "No such object: " + bucket + "/" + name + "#" + conditions.generation().getAsLong());
    }
    conditions.check(meta);
    return meta;
  }

  public void delete(String bucket, String name, Preconditions conditions) {
    ObjectMeta removed;
    synchronized (this) {
      removed = get(bucket, name, conditions);
      catalog.deleteObject(bucket, name);
      objectsOf(bucket).remove(name);
    }
    blobs.delete(removed.blobId());
    events.accept(Notifications.DELETE, removed);
  }

  /** Replaces the writable metadata ({@code PATCH} merges before calling this). */
  public synchronized ObjectMeta update(
      String bucket, String name, ObjectFields fields, Preconditions conditions) {
    ObjectMeta current = get(bucket, name, conditions);
    ObjectMeta updated =
        current.withHeaders(
            fields.headers(
                fields.contentType() == null ? current.contentType() : fields.contentType()),
            clock.instant());
    catalog.saveObject(updated);
    objectsOf(bucket).put(name, updated);
    events.accept(Notifications.METADATA_UPDATE, updated);
    return updated;
  }

  /** Copies the live source to a new generation of the destination (rewrite and copy). */
  public ObjectMeta copy(
      String bucket,
      String name,
      Preconditions sourceConditions,
      String toBucket,
      String toName,
      ObjectFields overrides,
      Preconditions destinationConditions) {
    ObjectMeta source = get(bucket, name, sourceConditions);
    StoredBlob copy;
    try {
      copy = blobs.copy(source.blobId());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ObjectFields fields =
        new ObjectFields(
            overrides.contentType() != null ? overrides.contentType() : source.contentType(),
            overrides.metadata().isEmpty() ? source.metadata() : overrides.metadata(),
            overrides.contentDisposition() != null
                ? overrides.contentDisposition()
                : source.contentDisposition(),
            overrides.cacheControl() != null ? overrides.cacheControl() : source.cacheControl(),
            overrides.contentEncoding() != null
                ? overrides.contentEncoding()
                : source.contentEncoding(),
            null,
            null,
            null);
    return insert(toBucket, toName, copy, fields, destinationConditions);
  }

  /** Concatenates up to 32 live objects of one bucket into a new generation of {@code name}. */
  public ObjectMeta compose(
      String bucket,
      List<String> sources,
      String name,
      ObjectFields fields,
      Preconditions conditions) {
    if (sources.isEmpty() || sources.size() > 32) {
      throw StorageError.invalid("A compose request takes 1 to 32 source objects.");
    }
    List<InputStream> streams = new ArrayList<>();
    try {
      for (String source : sources) {
        ObjectMeta meta = get(bucket, source, Preconditions.NONE);
        streams.add(blobs.open(meta.blobId(), 0, meta.size()));
      }
      StoredBlob blob;
      try (InputStream all = new SequenceInputStream(Collections.enumeration(streams))) {
        blob = blobs.write(all);
      }
      return insert(bucket, name, blob, fields, conditions);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public synchronized ObjectListing list(
      String bucket, String prefix, String delimiter, String pageToken, int maxResults) {
    return ObjectListing.page(objectsOf(bucket), prefix, delimiter, pageToken, maxResults);
  }

  /** Drops every bucket and object. */
  public synchronized void reset() throws IOException {
    sessions.clear();
    hmacKeys.clear();
    catalog.clear();
    buckets.clear();
    objects.clear();
    blobs.clear();
  }

  public BlobStore blobs() {
    return blobs;
  }

  /** The projects' HMAC keys (kept in memory only). */
  public HmacKeys hmacKeys() {
    return hmacKeys;
  }

  /** Resumable upload sessions in progress. */
  public UploadSessions sessions() {
    return sessions;
  }

  private NavigableMap<String, ObjectMeta> objectsOf(String bucket) {
    bucket(bucket);
    return objects.get(bucket);
  }

  private long nextGeneration(Instant now) {
    long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    lastGeneration = Math.max(lastGeneration + 1, micros);
    return lastGeneration;
  }
}
