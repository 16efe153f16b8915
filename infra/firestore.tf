resource "google_firestore_database" "default" {
  name                    = "(default)"
  location_id             = var.region
  type                    = "FIRESTORE_NATIVE"
  concurrency_mode        = "OPTIMISTIC"
  delete_protection_state = "DELETE_PROTECTION_ENABLED"
  # Any minute of the last 7 days can be read back or cloned: docs/operations.md, "Restore".
  point_in_time_recovery_enablement = "POINT_IN_TIME_RECOVERY_ENABLED"
  depends_on                        = [google_project_service.apis]
}

# Backups beyond the PITR window: one a day kept 7 days (the longest a daily schedule may keep),
# one a week kept 14 weeks (the longest a weekly one may). Restored into a new database.
resource "google_firestore_backup_schedule" "daily" {
  database  = google_firestore_database.default.name
  retention = "604800s" # 7 days
  daily_recurrence {}
}

resource "google_firestore_backup_schedule" "weekly" {
  database  = google_firestore_database.default.name
  retention = "8467200s" # 14 weeks
  weekly_recurrence {
    day = "SUNDAY"
  }
}

# GET /v1/files: the caller's files in the listed statuses, newest first, paged by (createdAt, id).
resource "google_firestore_index" "files_by_owner" {
  collection = "files"
  fields {
    field_path = "ownerUid"
    order      = "ASCENDING"
  }
  fields {
    field_path = "status"
    order      = "ASCENDING"
  }
  fields {
    field_path = "createdAt"
    order      = "DESCENDING"
  }
  fields {
    field_path = "__name__"
    order      = "DESCENDING"
  }
  depends_on = [google_firestore_database.default]
}

# POST /v1/uploads counts the caller's uploads in flight.
resource "google_firestore_index" "uploads_in_flight" {
  collection = "uploads"
  fields {
    field_path = "ownerUid"
    order      = "ASCENDING"
  }
  fields {
    field_path = "status"
    order      = "ASCENDING"
  }
  depends_on = [google_firestore_database.default]
}

# GET /v1/admin/users/{uid}: the user's latest uploads, whatever their state.
resource "google_firestore_index" "uploads_by_owner" {
  collection = "uploads"
  fields {
    field_path = "ownerUid"
    order      = "ASCENDING"
  }
  fields {
    field_path = "createdAt"
    order      = "DESCENDING"
  }
  depends_on = [google_firestore_database.default]
}

# GET /v1/notifications?unreadOnly=true: the caller's unread notifications, newest first.
# (All of them, newest first, needs only the automatic single-field indexes.)
resource "google_firestore_index" "unread_notifications" {
  collection = "notifications"
  fields {
    field_path = "readAt"
    order      = "ASCENDING"
  }
  fields {
    field_path = "createdAt"
    order      = "DESCENDING"
  }
  fields {
    field_path = "__name__"
    order      = "DESCENDING"
  }
  depends_on = [google_firestore_database.default]
}

# The sweeper: pending uploads past their deadline, and uploads stuck in flight.
resource "google_firestore_index" "uploads_by_deadline" {
  collection = "uploads"
  fields {
    field_path = "status"
    order      = "ASCENDING"
  }
  fields {
    field_path = "expiresAt"
    order      = "ASCENDING"
  }
  depends_on = [google_firestore_database.default]
}

resource "google_firestore_index" "uploads_by_update" {
  collection = "uploads"
  fields {
    field_path = "status"
    order      = "ASCENDING"
  }
  fields {
    field_path = "updatedAt"
    order      = "ASCENDING"
  }
  depends_on = [google_firestore_database.default]
}

# The sweeper: tombstones of deleted files past their retention (FileRecord.TOMBSTONE_RETENTION).
resource "google_firestore_index" "files_by_update" {
  collection = "files"
  fields {
    field_path = "status"
    order      = "ASCENDING"
  }
  fields {
    field_path = "updatedAt"
    order      = "ASCENDING"
  }
  depends_on = [google_firestore_database.default]
}

# The sweeper: account deletions that stopped moving (running, updatedAt).
resource "google_firestore_index" "stalled_account_deletions" {
  collection = "accountDeletions"
  fields {
    field_path = "running"
    order      = "ASCENDING"
  }
  fields {
    field_path = "updatedAt"
    order      = "ASCENDING"
  }
  depends_on = [google_firestore_database.default]
}

# The sweeper: data exports that stopped moving (running, updatedAt). Expired archives are found
# by expiresAt alone, which the automatic single-field index serves.
resource "google_firestore_index" "stalled_account_exports" {
  collection = "accountExports"
  fields {
    field_path = "running"
    order      = "ASCENDING"
  }
  fields {
    field_path = "updatedAt"
    order      = "ASCENDING"
  }
  depends_on = [google_firestore_database.default]
}

# Idempotency records and push delivery records delete themselves 30 days after the event.
resource "google_firestore_field" "processed_events_ttl" {
  collection = "processedEvents"
  field      = "expireAt"
  ttl_config {}
  # The sweeper purges what the TTL policy has not reached yet: expireAt < now needs this index
  # (an override replaces the automatic ones, so it is named here).
  index_config {
    indexes {
      order       = "ASCENDING"
      query_scope = "COLLECTION"
    }
  }
  depends_on = [google_firestore_database.default]
}

# Registering a push token looks for other users holding it (a shared phone), across every
# users/{uid}/devices collection: a collection-group query on the device id, which needs the
# single-field index at collection-group scope (automatic indexes are collection-scoped only).
resource "google_firestore_field" "devices_by_id" {
  collection = "devices"
  field      = "id"
  index_config {
    indexes {
      order       = "ASCENDING"
      query_scope = "COLLECTION_GROUP"
    }
  }
  depends_on = [google_firestore_database.default]
}

# A finished upload's document (ready, rejected, expired, aborted or failed) is deleted 30 days
# after it ended (shared/.../uploads/Upload.RETENTION): the files collection is the lasting record,
# and a create-and-abort loop leaves nothing behind for long. No index on it: nothing queries it.
resource "google_firestore_field" "uploads_purge" {
  collection = "uploads"
  field      = "purgeAt"
  ttl_config {}
  index_config {}
  depends_on = [google_firestore_database.default]
}
