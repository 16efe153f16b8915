package dev.cirrus.local.storage.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cirrus.local.storage.BucketMeta;
import dev.cirrus.local.storage.BucketPreconditions;
import dev.cirrus.local.storage.IamPolicy;
import dev.cirrus.local.storage.ObjectStore;
import dev.cirrus.local.storage.StorageError;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A bucket's IAM policy: get (with {@code optionsRequestedPolicyVersion}), set (etag-checked) and
 * testPermissions. The emulator checks no permission, so every valid one tests as granted.
 */
final class IamHandlers {
  private static final Pattern PERMISSION = Pattern.compile("^storage\\.[a-zA-Z]+\\.[a-zA-Z]+$");

  private final ObjectStore store;

  IamHandlers(ObjectStore store) {
    this.store = store;
  }

  void routes(JsonRoutes routes) {
    routes
        .add("GET", "/b/{bucket}/iam", this::get)
        .add("PUT", "/b/{bucket}/iam", this::set)
        .add("GET", "/b/{bucket}/iam/testPermissions", this::test);
  }

  private void get(Exchange exchange) throws IOException {
    BucketMeta bucket = store.bucket(exchange.param("bucket"));
    long requested = exchange.query().number("optionsRequestedPolicyVersion").orElse(1);
    if (requested != 0 && requested != 1 && requested != 3) {
      throw StorageError.invalid(
          "Invalid value for optionsRequestedPolicyVersion: " + requested + ". Supported: 1, 3.");
    }
    if (bucket.policy().conditional() && requested < 3) {
      throw StorageError.invalid(
          "The policy has conditional role bindings: request policy version 3 to read it.");
    }
    exchange.sendJson(200, Resources.policy(bucket, bucket.policy()));
  }

  private void set(Exchange exchange) throws IOException {
    JsonNode body = exchange.readJson();
    IamPolicy policy = IamPolicy.parse(body);
    String etag = body.hasNonNull("etag") ? body.get("etag").asText() : null;
    BucketMeta bucket =
        store.updateBucket(
            exchange.param("bucket"),
            BucketPreconditions.NONE,
            (current, now) -> {
              if (etag != null && !etag.equals(Resources.etag(current.metageneration()))) {
                throw StorageError.preconditionFailed(
                    "The etag of the policy does not match: it was changed since it was read.");
              }
              if (policy.conditional() && !current.uniform()) {
                throw StorageError.invalid(
                    "IAM conditions can only be set on a bucket with uniform bucket-level access.");
              }
              return current.changed(
                  now, current.settings(), current.acl(), current.defaultObjectAcl(), policy);
            });
    exchange.sendJson(200, Resources.policy(bucket, bucket.policy()));
  }

  private void test(Exchange exchange) throws IOException {
    store.bucket(exchange.param("bucket"));
    List<String> permissions = exchange.query().all("permissions");
    if (permissions.isEmpty()) {
      throw StorageError.required("Required parameter: permissions");
    }
    for (String permission : permissions) {
      if (!PERMISSION.matcher(permission).matches()) {
        throw StorageError.invalid("Permission '" + permission + "' is not valid for a bucket.");
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", "storage#testIamPermissionsResponse");
    body.put("permissions", permissions);
    exchange.sendJson(200, body);
  }
}
