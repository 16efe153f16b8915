package dev.cirrus.local.storage;

import static dev.cirrus.local.storage.RawRequests.assertError;
import static dev.cirrus.local.storage.RawRequests.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.Identity;
import com.google.cloud.Policy;
import com.google.cloud.storage.Acl;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.HmacKey;
import com.google.cloud.storage.HmacKey.HmacKeyMetadata;
import com.google.cloud.storage.HmacKey.HmacKeyState;
import com.google.cloud.storage.ServiceAccount;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageRoles;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JSON API's families beyond objects (ACLs, IAM, HMAC keys, bucket configuration, partial
 * responses), on both backends: what the service answers, including its refusals.
 */
class JsonApiFamiliesTest {
  private static final String SA = "uploader@demo-cirrus-test.iam.gserviceaccount.com";
  private StorageEmulator emulator;
  private Storage storage;
  private Path dir;
  private String bucket;

  private void start(String backend) throws Exception {
    dir = Files.createTempDirectory("gcs-families");
    emulator =
        backend.equals("memory") ? StorageEmulator.inMemory(0) : StorageEmulator.onDisk(0, dir);
    storage = TestData.javaClient(emulator);
    bucket = "fam-" + UUID.randomUUID().toString().substring(0, 8);
    storage.create(BucketInfo.of(bucket));
  }

  @AfterEach
  void stop() throws Exception {
    if (storage != null) {
      storage.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return new RawRequests(emulator.url()).sendJson(method, path, body);
  }

  private static void assertCode(Runnable call, int code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.getCode()).isEqualTo(code));
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void bucketAclsAreListedChangedAndRemoved(String backend) throws Exception {
    start(backend);
    assertThat(storage.listAcls(bucket))
        .extracting(a -> a.getEntity().toString())
        .anyMatch(e -> e.startsWith("project-owners-"));
    storage.createAcl(bucket, Acl.of(new Acl.User("ann@example.com"), Acl.Role.WRITER));
    Acl got = storage.getAcl(bucket, new Acl.User("ann@example.com"));
    assertThat(got.getRole()).isEqualTo(Acl.Role.WRITER);
    storage.updateAcl(bucket, Acl.of(new Acl.User("ann@example.com"), Acl.Role.READER));
    assertThat(storage.getAcl(bucket, new Acl.User("ann@example.com")).getRole())
        .isEqualTo(Acl.Role.READER);
    assertThat(storage.deleteAcl(bucket, new Acl.User("ann@example.com"))).isTrue();
    assertThat(storage.deleteAcl(bucket, new Acl.User("ann@example.com"))).isFalse();
    assertThat(storage.getAcl(bucket, new Acl.User("ann@example.com"))).isNull();
    JsonNode entry =
        json(
            send(
                "POST",
                "/storage/v1/b/" + bucket + "/acl",
                "{\"entity\":\"domain-example.com\",\"role\":\"READER\"}"));
    assertThat(entry.path("kind").asText()).isEqualTo("storage#bucketAccessControl");
    assertThat(entry.path("domain").asText()).isEqualTo("example.com");
    assertThat(entry.path("id").asText()).isEqualTo(bucket + "/domain-example.com");
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void newObjectsTakeTheDefaultObjectAclAndKeepTheirOwn(String backend) throws Exception {
    start(backend);
    storage.createDefaultAcl(bucket, Acl.of(Acl.User.ofAllAuthenticatedUsers(), Acl.Role.READER));
    Blob blob = storage.create(BlobInfo.newBuilder(bucket, "a.txt").build(), new byte[] {1});
    assertThat(storage.listAcls(blob.getBlobId()))
        .extracting(Acl::getEntity)
        .contains(Acl.User.ofAllAuthenticatedUsers());
    storage.createAcl(blob.getBlobId(), Acl.of(new Acl.Group("eng@example.com"), Acl.Role.OWNER));
    Blob after = storage.get(blob.getBlobId());
    assertThat(after.getMetageneration()).isEqualTo(blob.getMetageneration() + 1);
    assertThat(storage.getAcl(blob.getBlobId(), new Acl.Group("eng@example.com")).getRole())
        .isEqualTo(Acl.Role.OWNER);
    assertError(
        send(
            "POST",
            "/storage/v1/b/" + bucket + "/o/a.txt/acl",
            "{\"entity\":\"allUsers\",\"role\":\"WRITER\"}"),
        400,
        "invalid");
    assertThat(storage.deleteDefaultAcl(bucket, Acl.User.ofAllAuthenticatedUsers())).isTrue();
    Blob later = storage.create(BlobInfo.newBuilder(bucket, "b.txt").build(), new byte[] {1});
    assertThat(storage.listAcls(later.getBlobId()))
        .extracting(Acl::getEntity)
        .doesNotContain(Acl.User.ofAllAuthenticatedUsers());
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void writesThroughABucketHandleCarryTheirAclAndPreconditions(String backend) throws Exception {
    start(backend);
    Bucket handle = storage.get(bucket);
    Blob open =
        handle.create(
            "public.txt",
            new byte[] {1},
            Bucket.BlobTargetOption.predefinedAcl(Storage.PredefinedAcl.PUBLIC_READ));
    assertThat(storage.getAcl(open.getBlobId(), Acl.User.ofAllUsers()).getRole())
        .isEqualTo(Acl.Role.READER);
    // The JSON API's ifMetagenerationMatch on a write is the object's, as the service reads it:
    // a new object has none, a replaced one must match.
    assertCode(
        () ->
            handle.create(
                "new.txt", new byte[] {1}, Bucket.BlobTargetOption.metagenerationMatch(1)),
        412);
    assertThat(storage.get(BlobId.of(bucket, "new.txt"))).isNull();
    Blob replaced =
        handle.create(
            "public.txt",
            new byte[] {2},
            Bucket.BlobTargetOption.metagenerationMatch(open.getMetageneration()));
    assertThat(replaced.getGeneration()).isGreaterThan(open.getGeneration());

    String uniform = bucket + "-u";
    storage.create(
        BucketInfo.newBuilder(uniform)
            .setIamConfiguration(
                BucketInfo.IamConfiguration.newBuilder()
                    .setIsUniformBucketLevelAccessEnabled(true)
                    .build())
            .build());
    assertThatThrownBy(
            () ->
                storage.create(
                    BlobInfo.newBuilder(uniform, "refused.txt").build(),
                    new byte[] {1},
                    Storage.BlobTargetOption.predefinedAcl(Storage.PredefinedAcl.PUBLIC_READ)))
        .isInstanceOfSatisfying(
            StorageException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(400);
              assertThat(e.getMessage())
                  .contains(
                      "Cannot insert legacy ACL for an object when uniform bucket-level access"
                          + " is enabled");
            });
    assertThat(storage.get(BlobId.of(uniform, "refused.txt"))).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void uniformBucketLevelAccessRefusesEveryAclCallAndChangesNothing(String backend)
      throws Exception {
    start(backend);
    String uniform = bucket + "-u";
    storage.create(
        BucketInfo.newBuilder(uniform)
            .setIamConfiguration(
                BucketInfo.IamConfiguration.newBuilder()
                    .setIsUniformBucketLevelAccessEnabled(true)
                    .build())
            .build());
    storage.create(BlobInfo.newBuilder(uniform, "o").build(), new byte[] {1});
    long metageneration = storage.get(uniform).getMetageneration();
    for (String[] call :
        new String[][] {
          {"GET", "/acl", null},
          {"POST", "/acl", "{\"entity\":\"allUsers\",\"role\":\"READER\"}"},
          {"DELETE", "/acl/allUsers", null},
          {"GET", "/defaultObjectAcl", null},
          {"PATCH", "/defaultObjectAcl/allUsers", "{\"role\":\"READER\"}"},
          {"GET", "/o/o/acl", null},
          {"PUT", "/o/o/acl/allUsers", "{\"role\":\"READER\"}"},
        }) {
      HttpResponse<String> response = send(call[0], "/storage/v1/b/" + uniform + call[1], call[2]);
      assertError(response, 400, "invalid");
      assertThat(json(response).path("error").path("message").asText())
          .contains("uniform bucket-level access");
    }
    assertThat(storage.get(uniform).getMetageneration()).isEqualTo(metageneration);
    JsonNode full = json(send("GET", "/storage/v1/b/" + uniform + "?projection=full", null));
    assertThat(full.has("acl")).isFalse();
    assertThat(
            full.path("iamConfiguration")
                .path("uniformBucketLevelAccess")
                .path("lockedTime")
                .asText())
        .isNotBlank();
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void bucketPreconditionsGuardGetPatchUpdateAndDelete(String backend) throws Exception {
    start(backend);
    Bucket current = storage.get(bucket);
    long m = current.getMetageneration();
    assertCode(() -> storage.get(bucket, Storage.BucketGetOption.metagenerationMatch(m + 1)), 412);
    Bucket patched =
        storage.update(
            current.toBuilder().setLabels(Map.of("team", "mobile")).build(),
            Storage.BucketTargetOption.metagenerationMatch());
    assertThat(patched.getMetageneration()).isEqualTo(m + 1);
    assertThat(patched.getLabels()).containsEntry("team", "mobile");
    assertCode(
        () ->
            storage.update(
                current.toBuilder().setLabels(Map.of("team", "web")).build(),
                Storage.BucketTargetOption.metagenerationMatch()),
        412);
    assertThat(storage.get(bucket).getLabels()).containsEntry("team", "mobile");
    assertError(
        send("PUT", "/storage/v1/b/" + bucket + "?ifMetagenerationMatch=" + m, "{\"labels\":{}}"),
        412,
        "conditionNotMet");
    JsonNode replaced =
        json(
            send(
                "PUT",
                "/storage/v1/b/" + bucket + "?ifMetagenerationMatch=" + (m + 1),
                "{\"versioning\":{\"enabled\":true}}"));
    assertThat(replaced.has("labels")).as("PUT clears what it does not name").isFalse();
    assertThat(replaced.path("versioning").path("enabled").asBoolean()).isTrue();
    assertCode(
        () -> storage.delete(bucket, Storage.BucketSourceOption.metagenerationMatch(m)), 412);
    assertThat(storage.get(bucket, Storage.BucketGetOption.metagenerationNotMatch(m))).isNotNull();
    assertThat(storage.delete(bucket, Storage.BucketSourceOption.metagenerationMatch(m + 2)))
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void aLockedRetentionPolicyCannotBeReducedOrRemoved(String backend) throws Exception {
    start(backend);
    Bucket retained =
        storage.update(
            BucketInfo.newBuilder(bucket)
                .setRetentionPeriodDuration(java.time.Duration.ofHours(1))
                .build());
    assertError(
        send("POST", "/storage/v1/b/" + bucket + "/lockRetentionPolicy", null), 400, "required");
    assertError(
        send(
            "POST",
            "/storage/v1/b/"
                + bucket
                + "/lockRetentionPolicy?ifMetagenerationMatch="
                + (retained.getMetageneration() - 1),
            null),
        412,
        "conditionNotMet");
    Bucket locked =
        storage.lockRetentionPolicy(retained, Storage.BucketTargetOption.metagenerationMatch());
    assertThat(locked.retentionPolicyIsLocked()).isTrue();
    assertThat(locked.getRetentionEffectiveTimeOffsetDateTime()).isNotNull();
    assertError(
        send(
            "PATCH",
            "/storage/v1/b/" + bucket,
            "{\"retentionPolicy\":{\"retentionPeriod\":\"60\"}}"),
        403,
        "forbidden");
    assertError(
        send("PATCH", "/storage/v1/b/" + bucket, "{\"retentionPolicy\":null}"), 403, "forbidden");
    Bucket longer =
        storage.update(
            BucketInfo.newBuilder(bucket)
                .setRetentionPeriodDuration(java.time.Duration.ofHours(2))
                .build());
    assertThat(longer.getRetentionPeriodDuration()).isEqualTo(java.time.Duration.ofHours(2));
    assertThat(longer.retentionPolicyIsLocked()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void iamPoliciesAreVersionedAndEtagChecked(String backend) throws Exception {
    start(backend);
    Policy policy = storage.getIamPolicy(bucket);
    assertThat(policy.getBindings()).containsKey(StorageRoles.legacyBucketOwner());
    Policy granted =
        storage.setIamPolicy(
            bucket,
            policy.toBuilder()
                .addIdentity(StorageRoles.objectViewer(), Identity.user("ann@example.com"))
                .build());
    assertThat(granted.getBindings().get(StorageRoles.objectViewer()))
        .containsExactly(Identity.user("ann@example.com"));
    assertCode(
        () ->
            storage.setIamPolicy(
                bucket,
                policy.toBuilder()
                    .addIdentity(StorageRoles.objectAdmin(), Identity.allUsers())
                    .build()),
        412);
    assertThat(storage.getIamPolicy(bucket).getBindings())
        .doesNotContainKey(StorageRoles.objectAdmin());
    assertError(
        send(
            "PUT",
            "/storage/v1/b/" + bucket + "/iam",
            "{\"bindings\":[{\"role\":\"roles/owner\",\"members\":[\"allUsers\"]}]}"),
        400,
        "invalid");
    assertError(
        send(
            "PUT",
            "/storage/v1/b/" + bucket + "/iam",
            "{\"bindings\":[{\"role\":\"roles/storage.objectViewer\",\"members\":[\"nobody\"]}]}"),
        400,
        "invalid");
    assertError(
        send(
            "PUT",
            "/storage/v1/b/" + bucket + "/iam",
            "{\"version\":3,\"bindings\":[{\"role\":\"roles/storage.objectViewer\",\"members\":[\"allUsers\"],"
                + "\"condition\":{\"title\":\"t\",\"expression\":\"true\"}}]}"),
        400,
        "invalid");
    assertThat(
            storage.testIamPermissions(
                bucket, List.of("storage.buckets.get", "storage.objects.list")))
        .containsExactly(true, true);
    assertError(
        send(
            "GET",
            "/storage/v1/b/" + bucket + "/iam/testPermissions?permissions=compute.instances.get",
            null),
        400,
        "invalid");
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void conditionalBindingsNeedVersionThreeAndUniformAccess(String backend) throws Exception {
    start(backend);
    storage.update(
        BucketInfo.newBuilder(bucket)
            .setIamConfiguration(
                BucketInfo.IamConfiguration.newBuilder()
                    .setIsUniformBucketLevelAccessEnabled(true)
                    .build())
            .build());
    String etag = json(send("GET", "/storage/v1/b/" + bucket + "/iam", null)).path("etag").asText();
    HttpResponse<String> set =
        send(
            "PUT",
            "/storage/v1/b/" + bucket + "/iam",
            "{\"version\":3,\"etag\":\""
                + etag
                + "\",\"bindings\":[{\"role\":\"roles/storage.objectViewer\","
                + "\"members\":[\"allUsers\"],\"condition\":{\"title\":\"t\",\"expression\":"
                + "\"resource.name.startsWith('projects/_/buckets/x/objects/public/')\"}}]}");
    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    assertError(send("GET", "/storage/v1/b/" + bucket + "/iam", null), 400, "invalid");
    JsonNode v3 =
        json(send("GET", "/storage/v1/b/" + bucket + "/iam?optionsRequestedPolicyVersion=3", null));
    assertThat(v3.path("version").asInt()).isEqualTo(3);
    assertThat(v3.path("bindings").get(0).path("condition").path("title").asText()).isEqualTo("t");
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void hmacKeysFollowTheServiceLifeCycle(String backend) throws Exception {
    start(backend);
    HmacKey created = storage.createHmacKey(ServiceAccount.of(SA));
    HmacKeyMetadata key = created.getMetadata();
    assertThat(created.getSecretKey()).hasSize(40);
    assertThat(key.getAccessId()).startsWith("GOOG1E").hasSize(61);
    assertThat(key.getState()).isEqualTo(HmacKeyState.ACTIVE);
    HttpResponse<String> got =
        send("GET", "/storage/v1/projects/demo-cirrus-test/hmacKeys/" + key.getAccessId(), null);
    assertThat(got.body()).doesNotContain(created.getSecretKey()).doesNotContain("secret");
    storage.createHmacKey(ServiceAccount.of("other@demo-cirrus-test.iam.gserviceaccount.com"));
    storage.createHmacKey(ServiceAccount.of(SA));

    assertCode(() -> storage.deleteHmacKey(key), 400);
    assertThat(
            storage
                .listHmacKeys(Storage.ListHmacKeysOption.serviceAccount(ServiceAccount.of(SA)))
                .iterateAll())
        .hasSize(2)
        .allMatch(k -> k.getServiceAccount().getEmail().equals(SA));
    // Paging by hand: the Java client (2.63) asks for the first page again instead of sending
    // nextPageToken, so its iterateAll never ends on a paged key listing.
    String path =
        "/storage/v1/projects/demo-cirrus-test/hmacKeys?maxResults=1&serviceAccountEmail=" + SA;
    JsonNode first = json(send("GET", path, null));
    assertThat(first.path("items")).hasSize(1);
    JsonNode second =
        json(send("GET", path + "&pageToken=" + first.path("nextPageToken").asText(), null));
    assertThat(second.path("items")).hasSize(1);
    assertThat(second.has("nextPageToken")).isFalse();
    assertThat(second.path("items").get(0).path("accessId").asText())
        .isNotEqualTo(first.path("items").get(0).path("accessId").asText());

    HmacKeyMetadata inactive = storage.updateHmacKeyState(key, HmacKeyState.INACTIVE);
    assertThat(inactive.getState()).isEqualTo(HmacKeyState.INACTIVE);
    assertError(
        send(
            "PUT",
            "/storage/v1/projects/demo-cirrus-test/hmacKeys/" + key.getAccessId(),
            "{\"state\":\"ACTIVE\",\"etag\":\"c3RhbGU=\"}"),
        412,
        "conditionNotMet");
    storage.deleteHmacKey(inactive);
    assertThat(storage.getHmacKey(key.getAccessId()).getState()).isEqualTo(HmacKeyState.DELETED);
    assertThat(storage.listHmacKeys().iterateAll())
        .extracting(HmacKeyMetadata::getAccessId)
        .doesNotContain(key.getAccessId());
    assertThat(storage.listHmacKeys(Storage.ListHmacKeysOption.showDeletedKeys(true)).iterateAll())
        .extracting(HmacKeyMetadata::getAccessId)
        .contains(key.getAccessId());
    assertCode(() -> storage.getHmacKey("GOOG1ENOSUCHKEY"), 404);
    assertError(
        send("POST", "/storage/v1/projects/demo-cirrus-test/hmacKeys", null), 400, "required");
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void projectionsAndPartialResponsesShapeResources(String backend) throws Exception {
    start(backend);
    storage.create(
        BlobInfo.newBuilder(bucket, "p.txt").setMetadata(Map.of("k", "v")).build(), new byte[] {1});
    JsonNode noAcl = json(send("GET", "/storage/v1/b/" + bucket + "/o/p.txt", null));
    assertThat(noAcl.has("acl")).isFalse();
    JsonNode full = json(send("GET", "/storage/v1/b/" + bucket + "/o/p.txt?projection=full", null));
    assertThat(full.path("acl").isArray()).isTrue();
    assertThat(full.path("owner").path("entity").asText()).startsWith("project-owners-");
    JsonNode bucketFull = json(send("GET", "/storage/v1/b/" + bucket + "?projection=full", null));
    assertThat(bucketFull.path("acl").size()).isPositive();
    assertThat(bucketFull.path("defaultObjectAcl").size()).isPositive();
    assertThat(json(send("GET", "/storage/v1/b/" + bucket, null)).has("acl")).isFalse();
    assertError(send("GET", "/storage/v1/b/" + bucket + "?projection=most", null), 400, "invalid");

    JsonNode some =
        json(
            send("GET", "/storage/v1/b/" + bucket + "/o/p.txt?fields=name,metadata/k,owner", null));
    assertThat(some.size()).isEqualTo(2);
    assertThat(some.path("name").asText()).isEqualTo("p.txt");
    assertThat(some.path("metadata").path("k").asText()).isEqualTo("v");
    JsonNode listed =
        json(
            send(
                "GET",
                "/storage/v1/b/"
                    + bucket
                    + "/o?projection=full&fields=items(name,acl(entity)),kind",
                null));
    assertThat(listed.path("kind").asText()).isEqualTo("storage#objects");
    JsonNode item = listed.path("items").get(0);
    assertThat(item.size()).isEqualTo(2);
    assertThat(item.path("acl").get(0).size()).isEqualTo(1);
    assertThat(item.path("acl").get(0).path("entity").asText()).isNotBlank();
    assertThat(
            json(send("GET", "/storage/v1/b/" + bucket + "?fields=*", null)).path("name").asText())
        .isEqualTo(bucket);
    assertError(
        send("GET", "/storage/v1/b/" + bucket + "?fields=items(name", null),
        400,
        "invalidParameter");
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void bucketNamesFollowTheServiceRules(String backend) throws Exception {
    start(backend);
    assertThat(storage.create(BucketInfo.of("assets.example.com")).getName())
        .isEqualTo("assets.example.com");
    String longDotted = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63);
    assertThat(storage.create(BucketInfo.of(longDotted)).getName()).isEqualTo(longDotted);
    for (String bad :
        List.of(
            "ab",
            "a".repeat(64),
            "a".repeat(64) + ".com",
            "UPPER",
            "-dash",
            "dot.",
            "a..b",
            "a.-b",
            "192.168.1.1",
            "goog-bucket",
            "my-google-bucket",
            "sp ace")) {
      assertError(
          send("POST", "/storage/v1/b?project=demo-cirrus-test", "{\"name\":\"" + bad + "\"}"),
          400,
          "invalid");
    }
    assertThat(storage.list().iterateAll()).hasSize(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"disk"})
  void bucketConfigurationAndAclsSurviveARestart(String backend) throws Exception {
    start(backend);
    storage.update(BucketInfo.newBuilder(bucket).setLabels(Map.of("env", "dev")).build());
    storage.createAcl(bucket, Acl.of(new Acl.User("ann@example.com"), Acl.Role.OWNER));
    Blob blob = storage.create(BlobInfo.newBuilder(bucket, "kept").build(), new byte[] {1});
    storage.createAcl(blob.getBlobId(), Acl.of(Acl.User.ofAllUsers(), Acl.Role.READER));
    storage.close();
    emulator.close();
    emulator = StorageEmulator.onDisk(0, dir);
    storage = TestData.javaClient(emulator);
    assertThat(storage.get(bucket).getLabels()).containsEntry("env", "dev");
    assertThat(storage.getAcl(bucket, new Acl.User("ann@example.com")).getRole())
        .isEqualTo(Acl.Role.OWNER);
    assertThat(storage.getAcl(BlobId.of(bucket, "kept"), Acl.User.ofAllUsers()).getRole())
        .isEqualTo(Acl.Role.READER);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "disk"})
  void badAclAndPolicyInputChangesNothing(String backend) throws Exception {
    start(backend);
    long metageneration = storage.get(bucket).getMetageneration();
    String[][] calls = {
      {"POST", "/acl", "{\"entity\":\"user-\",\"role\":\"READER\"}", "400", "invalid"},
      {"POST", "/acl", "{\"entity\":\"everyone\",\"role\":\"READER\"}", "400", "invalid"},
      {"POST", "/acl", "{\"entity\":\"allUsers\",\"role\":\"ADMIN\"}", "400", "invalid"},
      {"POST", "/acl", "{\"role\":\"READER\"}", "400", "required"},
      {"POST", "/acl", "not json", "400", "parseError"},
      {"PATCH", "/acl/user-nobody@example.com", "{\"role\":\"READER\"}", "404", "notFound"},
      {"DELETE", "/defaultObjectAcl/allUsers", null, "404", "notFound"},
      {"PUT", "/iam", "{\"bindings\":\"all\"}", "400", "invalid"},
      {"PUT", "/iam", "{\"etag\":\"CAU=\",\"bindings\":[]}", "412", "conditionNotMet"},
      {"PATCH", "", "{\"labels\":{\"Bad Key\":\"v\"}}", "400", "invalid"},
      {"PATCH", "", "{\"storageClass\":\"HOT\"}", "400", "invalid"},
      {"PATCH", "", "{\"retentionPolicy\":{\"retentionPeriod\":\"-5\"}}", "400", "invalid"},
      {"GET", "/o/missing/acl", null, "404", "notFound"},
    };
    for (String[] call : calls) {
      assertError(
          send(call[0], "/storage/v1/b/" + bucket + call[1], call[2]),
          Integer.parseInt(call[3]),
          call[4]);
    }
    assertError(
        send("GET", "/storage/v1/projects/demo-cirrus-test/hmacKeys/GOOG1EMISSING", null),
        404,
        "notFound");
    assertError(
        send("DELETE", "/storage/v1/projects/demo-cirrus-test/hmacKeys/GOOG1EMISSING", null),
        404,
        "notFound");
    assertThat(storage.get(bucket).getMetageneration()).isEqualTo(metageneration);
    assertThat(emulator.url()).isNotBlank();
    assertThat(send("GET", "/_internal/healthz", null).statusCode()).isEqualTo(200);
  }
}
