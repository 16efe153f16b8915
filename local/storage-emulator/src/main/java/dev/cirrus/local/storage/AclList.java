package dev.cirrus.local.storage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An ordered access control list; one entry per entity. */
public record AclList(List<Acl> entries) {
  public static final AclList EMPTY = new AclList(List.of());

  public AclList {
    entries = List.copyOf(entries);
  }

  /** What a project's new bucket or object grants when nothing else is asked for. */
  public static AclList projectDefault(String projectNumber) {
    return new AclList(
        List.of(
            new Acl("project-owners-" + projectNumber, "OWNER"),
            new Acl("project-editors-" + projectNumber, "OWNER"),
            new Acl("project-viewers-" + projectNumber, "READER")));
  }

  /**
   * A predefined ACL by the name the JSON API's {@code predefinedAcl} and {@code
   * predefinedDefaultObjectAcl} parameters take.
   *
   * @throws StorageError 400 for a name the scope does not have
   */
  public static AclList predefined(String name, Acl.Scope scope, String projectNumber) {
    Acl owners = new Acl("project-owners-" + projectNumber, "OWNER");
    AclList project = projectDefault(projectNumber);
    AclList result =
        switch (name) {
          case "private" -> new AclList(List.of(owners));
          case "projectPrivate" -> project;
          case "publicRead" -> new AclList(List.of(owners, new Acl("allUsers", "READER")));
          case "authenticatedRead" ->
              new AclList(List.of(owners, new Acl("allAuthenticatedUsers", "READER")));
          case "publicReadWrite" ->
              scope == Acl.Scope.BUCKET
                  ? new AclList(List.of(owners, new Acl("allUsers", "WRITER")))
                  : null;
          case "bucketOwnerRead" ->
              scope == Acl.Scope.OBJECT
                  ? new AclList(List.of(new Acl("project-owners-" + projectNumber, "READER")))
                  : null;
          case "bucketOwnerFullControl" ->
              scope == Acl.Scope.OBJECT ? new AclList(List.of(owners)) : null;
          default -> null;
        };
    if (result == null) {
      throw StorageError.invalid("Invalid predefined ACL: '" + name + "'.");
    }
    return result;
  }

  /**
   * The list a resource's {@code acl} field gives, or {@code fallback} when it gives none.
   *
   * @throws StorageError 400 for a field that is not a list or an entry {@link Acl#of} refuses
   */
  public static AclList of(JsonNode list, Acl.Scope scope, AclList fallback) {
    if (list == null || list.isNull()) {
      return fallback;
    }
    if (!list.isArray()) {
      throw StorageError.invalid("Invalid value for acl: must be a list.");
    }
    AclList acl = EMPTY;
    for (JsonNode entry : list) {
      acl =
          acl.with(
              Acl.of(entry.path("entity").asText(null), entry.path("role").asText(null), scope));
    }
    return acl;
  }

  public Optional<Acl> find(String entity) {
    return entries.stream().filter(a -> a.entity().equals(entity)).findFirst();
  }

  /**
   * @throws StorageError 404 when the entity has no entry
   */
  public Acl require(String entity) {
    return find(entity)
        .orElseThrow(() -> StorageError.notFound("No ACL entry for entity: " + entity));
  }

  /** This list with {@code acl} added, or replacing the entity's entry in place. */
  public AclList with(Acl acl) {
    List<Acl> next = new ArrayList<>();
    boolean replaced = false;
    for (Acl entry : entries) {
      if (entry.entity().equals(acl.entity())) {
        next.add(acl);
        replaced = true;
      } else {
        next.add(entry);
      }
    }
    if (!replaced) {
      next.add(acl);
    }
    return new AclList(next);
  }

  /**
   * @throws StorageError 404 when the entity has no entry
   */
  public AclList without(String entity) {
    require(entity);
    return new AclList(entries.stream().filter(a -> !a.entity().equals(entity)).toList());
  }
}
