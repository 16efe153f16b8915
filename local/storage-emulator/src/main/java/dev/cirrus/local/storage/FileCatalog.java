package dev.cirrus.local.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Metadata as one small JSON file per bucket and per object, each replaced atomically, so a restart
 * with the same data directory finds everything a finished write left.
 */
public final class FileCatalog implements Catalog {
  private final Path buckets;
  private final Path objects;
  private final ObjectMapper json = new ObjectMapper();

  public FileCatalog(Path dir) throws IOException {
    this.buckets = Files.createDirectories(dir.resolve("buckets"));
    this.objects = Files.createDirectories(dir.resolve("objects"));
  }

  @Override
  public void saveBucket(BucketMeta bucket) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", bucket.name());
    m.put("project", bucket.project());
    m.put("timeCreated", bucket.timeCreated().toString());
    m.put("updated", bucket.updated().toString());
    m.put("metageneration", bucket.metageneration());
    m.put("settings", bucket.settings());
    m.put("acl", bucket.acl());
    m.put("defaultObjectAcl", bucket.defaultObjectAcl());
    m.put("policy", bucket.policy());
    write(buckets.resolve(bucket.name() + ".json"), m);
  }

  @Override
  public void deleteBucket(String name) {
    delete(buckets.resolve(name + ".json"));
  }

  @Override
  public void saveObject(ObjectMeta o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bucket", o.bucket());
    m.put("name", o.name());
    m.put("generation", o.generation());
    m.put("metageneration", o.metageneration());
    m.put("size", o.size());
    m.put("contentType", o.contentType());
    m.put("md5", o.md5());
    m.put("crc32c", o.crc32c());
    m.put("timeCreated", o.timeCreated().toString());
    m.put("updated", o.updated().toString());
    m.put("metadata", o.metadata());
    m.put("contentEncoding", o.contentEncoding());
    m.put("contentDisposition", o.contentDisposition());
    m.put("cacheControl", o.cacheControl());
    m.put("blobId", o.blobId());
    m.put("acl", o.acl());
    write(objects.resolve(key(o.bucket(), o.name())), m);
  }

  @Override
  public void deleteObject(String bucket, String name) {
    delete(objects.resolve(key(bucket, name)));
  }

  @Override
  public List<BucketMeta> buckets() {
    List<BucketMeta> result = new ArrayList<>();
    for (JsonNode b : read(buckets)) {
      result.add(
          new BucketMeta(
              b.path("name").asText(),
              b.path("project").asText(ObjectStore.DEFAULT_PROJECT),
              Instant.parse(b.path("timeCreated").asText()),
              Instant.parse(b.path("updated").asText(b.path("timeCreated").asText())),
              b.path("metageneration").asLong(),
              b.path("settings").isObject()
                  ? (ObjectNode) b.get("settings")
                  : BucketSettings.forInsert(json.createObjectNode(), Instant.EPOCH),
              acl(b.path("acl")),
              acl(b.path("defaultObjectAcl")),
              b.path("policy").isObject()
                  ? convert(b.get("policy"), IamPolicy.class)
                  : IamPolicy.projectDefault(
                      b.path("project").asText(ObjectStore.DEFAULT_PROJECT))));
    }
    return result;
  }

  @Override
  public List<ObjectMeta> objects() {
    List<ObjectMeta> result = new ArrayList<>();
    for (JsonNode o : read(objects)) {
      Map<String, String> metadata = new HashMap<>();
      o.path("metadata").properties().forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
      result.add(
          new ObjectMeta(
              o.path("bucket").asText(),
              o.path("name").asText(),
              o.path("generation").asLong(),
              o.path("metageneration").asLong(),
              new ObjectMeta.Content(
                  o.path("size").asLong(),
                  o.path("md5").asText(),
                  o.path("crc32c").asText(),
                  o.path("blobId").asText()),
              new ObjectMeta.Headers(
                  o.path("contentType").asText(),
                  text(o, "contentEncoding"),
                  text(o, "contentDisposition"),
                  text(o, "cacheControl"),
                  metadata),
              Instant.parse(o.path("timeCreated").asText()),
              Instant.parse(o.path("updated").asText()),
              acl(o.path("acl"))));
    }
    return result;
  }

  @Override
  public void clear() {
    for (Path dir : List.of(buckets, objects)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private AclList acl(JsonNode node) {
    return node.isObject() ? convert(node, AclList.class) : AclList.EMPTY;
  }

  private <T> T convert(JsonNode node, Class<T> type) {
    try {
      return json.treeToValue(node, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private void write(Path file, Map<String, Object> content) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, json.writeValueAsBytes(content));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<JsonNode> read(Path dir) {
    List<JsonNode> nodes = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        nodes.add(json.readTree(file.toFile()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return nodes;
  }

  private static String key(String bucket, String name) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((bucket + "\n" + name).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest) + ".json";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
