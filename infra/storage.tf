# The two buckets of the upload flow. Both private (uniform access, public access prevention
# enforced): bytes move only through resumable-session URIs and short-lived signed URLs.

resource "google_storage_bucket" "uploads" {
  name                        = "${var.project_id}-uploads"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  soft_delete_policy {
    retention_duration_seconds = local.soft_delete_seconds
  }

  # Abandoned uploads: the sweeper expires their sessions; this is the backstop.
  lifecycle_rule {
    condition {
      age = 2
    }
    action {
      type = "Delete"
    }
  }

  # Web clients PUT their bytes straight to the resumable session URI: the hosted web app
  # (infra/hosting.tf) and the origins var.cors_origins adds.
  dynamic "cors" {
    for_each = [local.cors_origins]
    content {
      origin          = cors.value
      method          = ["PUT", "POST", "OPTIONS"]
      response_header = ["Content-Type", "Content-Range", "Range", "X-Goog-Resumable", "Location"]
      max_age_seconds = 3600
    }
  }
}

resource "google_storage_bucket" "files" {
  name                        = "${var.project_id}-files"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  soft_delete_policy {
    retention_duration_seconds = local.soft_delete_seconds
  }

  # Data exports: the sweeper deletes an archive 7 days after it is ready (AccountExport.RETENTION);
  # this is the backstop for an archive or part whose job was lost.
  lifecycle_rule {
    condition {
      age            = 8
      matches_prefix = ["exports/"]
    }
    action {
      type = "Delete"
    }
  }
}

locals {
  # A deleted object can be restored for 7 days (docs/operations.md, "Restore"); a deleted file's
  # tombstone, which says what the object was, is kept as long (FileRecord.TOMBSTONE_RETENTION).
  soft_delete_seconds = 604800 # 7 days
}

# Cloud Storage's service agent publishes the finalize notifications, and may do nothing else.
data "google_storage_project_service_account" "gcs" {}

resource "google_pubsub_topic_iam_member" "gcs_publishes_upload_finalized" {
  topic  = google_pubsub_topic.topics["upload-finalized"].id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${data.google_storage_project_service_account.gcs.email_address}"
}

resource "google_storage_notification" "upload_finalized" {
  bucket         = google_storage_bucket.uploads.name
  topic          = google_pubsub_topic.topics["upload-finalized"].id
  payload_format = "JSON_API_V1"
  event_types    = ["OBJECT_FINALIZE"]
  depends_on     = [google_pubsub_topic_iam_member.gcs_publishes_upload_finalized]
}
