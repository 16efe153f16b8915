package dev.cirrus.local.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A bucket as the emulator keeps it.
 *
 * @param settings the writable configuration a client set ({@link BucketSettings}), kept as the
 *     JSON the service answers with
 * @param acl the bucket's ACL, kept while uniform bucket-level access hides it, as the service does
 */
public record BucketMeta(
    String name,
    String project,
    Instant timeCreated,
    Instant updated,
    long metageneration,
    ObjectNode settings,
    AclList acl,
    AclList defaultObjectAcl,
    IamPolicy policy) {
  public BucketMeta {
    settings = settings.deepCopy();
  }

  @Override
  public ObjectNode settings() {
    return settings.deepCopy();
  }

  /** The project's number, derived from its id: the emulator has no resource manager. */
  public String projectNumber() {
    return Projects.number(project);
  }

  /** Whether uniform bucket-level access is on: then ACLs neither apply nor can be used. */
  public boolean uniform() {
    return BucketSettings.uniform(settings);
  }

  public boolean retentionLocked() {
    return BucketSettings.retentionLocked(settings);
  }

  /** This bucket after a change: one more metageneration, updated now. */
  public BucketMeta changed(
      Instant now, ObjectNode settings, AclList acl, AclList defaultObjectAcl, IamPolicy policy) {
    return new BucketMeta(
        name,
        project,
        timeCreated,
        now,
        metageneration + 1,
        settings,
        acl,
        defaultObjectAcl,
        policy);
  }
}
