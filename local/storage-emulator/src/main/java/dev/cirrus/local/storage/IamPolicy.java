package dev.cirrus.local.storage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A bucket's IAM policy: role bindings, some with a condition (which needs policy version 3). The
 * emulator keeps and checks policies but does not enforce them.
 */
public record IamPolicy(int version, List<Binding> bindings) {
  /** The predefined roles a bucket accepts; custom roles are named by their project or org. */
  private static final Set<String> ROLES =
      Set.of(
          "roles/storage.admin",
          "roles/storage.objectAdmin",
          "roles/storage.objectCreator",
          "roles/storage.objectViewer",
          "roles/storage.objectUser",
          "roles/storage.folderAdmin",
          "roles/storage.insightsCollectorService",
          "roles/storage.legacyBucketOwner",
          "roles/storage.legacyBucketReader",
          "roles/storage.legacyBucketWriter",
          "roles/storage.legacyObjectOwner",
          "roles/storage.legacyObjectReader");

  private static final Pattern CUSTOM_ROLE =
      Pattern.compile("^(projects|organizations)/[a-z0-9.:-]{1,63}/roles/[a-zA-Z0-9_.]{3,64}$");
  private static final Pattern MEMBER =
      Pattern.compile(
          "^(allUsers|allAuthenticatedUsers"
              + "|(user|group|serviceAccount|deleted:user|deleted:group|deleted:serviceAccount):"
              + "[^@\\s]+@[^@\\s]+"
              + "|domain:[a-z0-9.-]+\\.[a-z]{2,63}"
              + "|(projectOwner|projectEditor|projectViewer):[a-z0-9-]{1,64}"
              + "|principal(Set)?://\\S+)$");

  /** A role granted to members, under an optional condition. */
  public record Binding(String role, List<String> members, JsonNode condition) {
    public Binding {
      members = List.copyOf(members);
    }
  }

  public IamPolicy {
    bindings = List.copyOf(bindings);
  }

  /** What a new bucket's policy grants: the project's roles as legacy bucket and object roles. */
  public static IamPolicy projectDefault(String project) {
    List<String> owners = List.of("projectEditor:" + project, "projectOwner:" + project);
    List<String> viewers = List.of("projectViewer:" + project);
    return new IamPolicy(
        1,
        List.of(
            new Binding("roles/storage.legacyBucketOwner", owners, null),
            new Binding("roles/storage.legacyBucketReader", viewers, null),
            new Binding("roles/storage.legacyObjectOwner", owners, null),
            new Binding("roles/storage.legacyObjectReader", viewers, null)));
  }

  /**
   * A policy as a client sends it to {@code setIamPolicy}.
   *
   * @throws StorageError 400 for an unknown role, a malformed member, or a condition in a policy
   *     below version 3
   */
  public static IamPolicy parse(JsonNode body) {
    JsonNode version = body.path("version");
    if (!version.isMissingNode() && !version.isNull() && !version.canConvertToInt()) {
      throw StorageError.invalid("Invalid value for version: " + version);
    }
    int v = version.asInt(1);
    if (v != 0 && v != 1 && v != 3) {
      throw StorageError.invalid("Invalid policy version: " + v + ". Supported: 1 and 3.");
    }
    JsonNode list = body.path("bindings");
    if (!list.isMissingNode() && !list.isNull() && !list.isArray()) {
      throw StorageError.invalid("Invalid value for bindings: must be a list.");
    }
    List<Binding> bindings = new ArrayList<>();
    for (JsonNode b : list) {
      String role = b.path("role").asText("");
      if (!ROLES.contains(role) && !CUSTOM_ROLE.matcher(role).matches()) {
        throw StorageError.invalid(
            "Role " + role + " is not supported for this resource, or it does not exist.");
      }
      Set<String> members = new LinkedHashSet<>();
      for (JsonNode m : b.path("members")) {
        String member = m.asText("");
        if (!MEMBER.matcher(member).matches()) {
          throw StorageError.invalid("Invalid member: '" + member + "'.");
        }
        members.add(member);
      }
      JsonNode condition = b.get("condition");
      if (condition != null && !condition.isNull()) {
        if (v < 3) {
          throw StorageError.invalid(
              "A binding with a condition requires policy version 3 or higher.");
        }
        if (condition.path("expression").asText("").isBlank()) {
          throw StorageError.required("Required: condition.expression");
        }
      } else {
        condition = null;
      }
      bindings.add(new Binding(role, List.copyOf(members), condition));
    }
    return new IamPolicy(v == 0 ? 1 : v, bindings);
  }

  /** Whether any binding is conditional: such a policy cannot be read below version 3. */
  public boolean conditional() {
    return bindings.stream().anyMatch(b -> b.condition() != null);
  }
}
