# One service account per function, holding only what that function does. Firestore has no
# per-collection IAM, so datastore.user is the narrowest role for a function that reads and
# writes documents; security rules keep clients out.

resource "google_service_account" "users" {
  account_id   = "fn-users"
  display_name = "Cirrus function: users"
}

resource "google_project_iam_member" "users_firestore" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.users.email}"
}

# verifyIdToken(checkRevoked = true) reads the user record.
resource "google_project_iam_member" "users_auth_viewer" {
  project = var.project_id
  role    = "roles/firebaseauth.viewer"
  member  = "serviceAccount:${google_service_account.users.email}"
}

# The gateway calls functions as this account; it may invoke them and nothing else.
resource "google_service_account" "gateway" {
  account_id   = "api-gateway"
  display_name = "Cirrus API Gateway"
}

# uploads: upload documents and quota, resumable sessions in the uploads bucket, :complete
# publishes on upload-finalized.
resource "google_service_account" "uploads" {
  account_id   = "fn-uploads"
  display_name = "Cirrus function: uploads"
}

resource "google_project_iam_member" "uploads_firestore" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.uploads.email}"
}

resource "google_project_iam_member" "uploads_auth_viewer" {
  project = var.project_id
  role    = "roles/firebaseauth.viewer"
  member  = "serviceAccount:${google_service_account.uploads.email}"
}

resource "google_storage_bucket_iam_member" "uploads_objects" {
  bucket = google_storage_bucket.uploads.name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.uploads.email}"
}

resource "google_pubsub_topic_iam_member" "uploads_publishes_upload_finalized" {
  topic  = google_pubsub_topic.topics["upload-finalized"].id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${google_service_account.uploads.email}"
}

# files: file documents, the files bucket, signed URLs (signBlob as itself, nobody else),
# file.deleted on file-events.
resource "google_service_account" "files" {
  account_id   = "fn-files"
  display_name = "Cirrus function: files"
}

resource "google_project_iam_member" "files_firestore" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.files.email}"
}

resource "google_project_iam_member" "files_auth_viewer" {
  project = var.project_id
  role    = "roles/firebaseauth.viewer"
  member  = "serviceAccount:${google_service_account.files.email}"
}

# The files function reads (its signed URLs are GETs, authorised as its own account) and deletes;
# it never writes, so it cannot overwrite an original: no predefined role has delete without
# create, hence the custom one.
resource "google_storage_bucket_iam_member" "files_reads_objects" {
  bucket = google_storage_bucket.files.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.files.email}"
}

resource "google_storage_bucket_iam_member" "files_deletes_objects" {
  bucket = google_storage_bucket.files.name
  role   = local.custom_roles.object_deleter
  member = "serviceAccount:${google_service_account.files.email}"
}

resource "google_service_account_iam_member" "files_signs_as_itself" {
  service_account_id = google_service_account.files.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:${google_service_account.files.email}"
}

resource "google_pubsub_topic_iam_member" "files_publishes_file_events" {
  topic  = google_pubsub_topic.topics["file-events"].id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${google_service_account.files.email}"
}

# process-upload: reads and deletes quarantined uploads, writes the files bucket, records
# documents, announces on file-events.
resource "google_service_account" "process_upload" {
  account_id   = "fn-process-upload"
  display_name = "Cirrus function: process-upload"
}

resource "google_project_iam_member" "process_upload_firestore" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.process_upload.email}"
}

resource "google_storage_bucket_iam_member" "process_upload_reads_uploads" {
  bucket = google_storage_bucket.uploads.name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.process_upload.email}"
}

resource "google_storage_bucket_iam_member" "process_upload_writes_files" {
  bucket = google_storage_bucket.files.name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.process_upload.email}"
}

resource "google_pubsub_topic_iam_member" "process_upload_publishes_file_events" {
  topic  = google_pubsub_topic.topics["file-events"].id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${google_service_account.process_upload.email}"
}

# The identity Eventarc pushes upload-finalized as: it may invoke process-upload and nothing else.
resource "google_service_account" "process_upload_trigger" {
  account_id   = "trigger-process-upload"
  display_name = "Cirrus trigger: upload-finalized to process-upload"
}

resource "google_project_iam_member" "process_upload_trigger_receiver" {
  project = var.project_id
  role    = "roles/eventarc.eventReceiver"
  member  = "serviceAccount:${google_service_account.process_upload_trigger.email}"
}

# Pub/Sub's service agent moves undeliverable messages to dead-letters.
data "google_project" "current" {}

resource "google_pubsub_topic_iam_member" "pubsub_agent_dead_letters" {
  topic  = google_pubsub_topic.topics["dead-letters"].id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:service-${data.google_project.current.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

# notifications: reads and marks the caller's notifications.
resource "google_service_account" "notifications" {
  account_id   = "fn-notifications"
  display_name = "Cirrus function: notifications"
}

resource "google_project_iam_member" "notifications_firestore" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.notifications.email}"
}

resource "google_project_iam_member" "notifications_auth_viewer" {
  project = var.project_id
  role    = "roles/firebaseauth.viewer"
  member  = "serviceAccount:${google_service_account.notifications.email}"
}

# notify: writes notification documents, prunes devices, sends pushes. FCM's predefined role
# (firebasecloudmessaging.admin) also manages topics and apps; sending needs one permission.
resource "google_service_account" "notify" {
  account_id   = "fn-notify"
  display_name = "Cirrus function: notify"
}

resource "google_project_iam_member" "notify_firestore" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.notify.email}"
}

resource "google_project_iam_member" "notify_sends_pushes" {
  project = var.project_id
  role    = local.custom_roles.push_sender
  member  = "serviceAccount:${google_service_account.notify.email}"
}

# The identity Eventarc pushes file-events and notification-requests as.
resource "google_service_account" "notify_trigger" {
  account_id   = "trigger-notify"
  display_name = "Cirrus trigger: file-events and notification-requests to notify"
}

resource "google_project_iam_member" "notify_trigger_receiver" {
  project = var.project_id
  role    = "roles/eventarc.eventReceiver"
  member  = "serviceAccount:${google_service_account.notify_trigger.email}"
}

# Other systems that may ask Cirrus to notify users (README: "Notifying users from another
# system"). Nobody else may publish there.
resource "google_pubsub_topic_iam_member" "notification_publishers" {
  for_each = toset(var.notification_publishers)
  topic    = google_pubsub_topic.topics["notification-requests"].id
  role     = "roles/pubsub.publisher"
  member   = each.value
}

# dead-letters: records dead letters, and reads which topic their subscription reads.
resource "google_service_account" "dead_letters" {
  account_id   = "fn-dead-letters"
  display_name = "Cirrus function: dead-letters"
}

resource "google_project_iam_member" "dead_letters_firestore" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.dead_letters.email}"
}

# pubsub.viewer would also list every topic, subscription and snapshot; this reads subscriptions.
resource "google_project_iam_member" "dead_letters_reads_subscriptions" {
  project = var.project_id
  role    = local.custom_roles.subscription_reader
  member  = "serviceAccount:${google_service_account.dead_letters.email}"
}

resource "google_service_account" "dead_letters_trigger" {
  account_id   = "trigger-dead-letters"
  display_name = "Cirrus trigger: dead-letters to dead-letters"
}

resource "google_project_iam_member" "dead_letters_trigger_receiver" {
  project = var.project_id
  role    = "roles/eventarc.eventReceiver"
  member  = "serviceAccount:${google_service_account.dead_letters_trigger.email}"
}

# admin: reads dead letters and publishes them again to the topics event functions consume; reads
# and updates Firebase Auth users (roles claim, revocation, disabled) and writes the audit log.
resource "google_service_account" "admin" {
  account_id   = "fn-admin"
  display_name = "Cirrus function: admin"
}

resource "google_project_iam_member" "admin_firestore" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.admin.email}"
}

resource "google_project_iam_member" "admin_user_admin" {
  project = var.project_id
  role    = local.custom_roles.user_admin
  member  = "serviceAccount:${google_service_account.admin.email}"
}

resource "google_pubsub_topic_iam_member" "admin_redrives" {
  for_each = toset(["upload-finalized", "file-events", "notification-requests", "maintenance-tick"])
  topic    = google_pubsub_topic.topics[each.value].id
  role     = "roles/pubsub.publisher"
  member   = "serviceAccount:${google_service_account.admin.email}"
}

# sweeper: expires and re-drives uploads (their documents, sessions and quarantined bytes),
# purges event records and old tombstones of deleted files (with any bytes left), corrects quotas;
# republishes finalize messages.
resource "google_service_account" "sweeper" {
  account_id   = "fn-sweeper"
  display_name = "Cirrus function: sweeper"
}

resource "google_project_iam_member" "sweeper_firestore" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.sweeper.email}"
}

resource "google_storage_bucket_iam_member" "sweeper_uploads_objects" {
  bucket = google_storage_bucket.uploads.name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.sweeper.email}"
}

# A tombstone's bytes: deleted, never read or written.
resource "google_storage_bucket_iam_member" "sweeper_deletes_files_objects" {
  bucket = google_storage_bucket.files.name
  role   = local.custom_roles.object_deleter
  member = "serviceAccount:${google_service_account.sweeper.email}"
}

resource "google_pubsub_topic_iam_member" "sweeper_publishes_upload_finalized" {
  topic  = google_pubsub_topic.topics["upload-finalized"].id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${google_service_account.sweeper.email}"
}

resource "google_service_account" "sweeper_trigger" {
  account_id   = "trigger-sweeper"
  display_name = "Cirrus trigger: maintenance-tick to sweeper"
}

resource "google_project_iam_member" "sweeper_trigger_receiver" {
  project = var.project_id
  role    = "roles/eventarc.eventReceiver"
  member  = "serviceAccount:${google_service_account.sweeper_trigger.email}"
}

# Users (DELETE /v1/me), the admin function (:delete) and the sweeper (accounts gone from
# Firebase Auth, stalled jobs) start account deletions by publishing their first step.
resource "google_pubsub_topic_iam_member" "account_deletion_starters" {
  for_each = {
    users   = google_service_account.users.email
    admin   = google_service_account.admin.email
    sweeper = google_service_account.sweeper.email
  }
  topic  = google_pubsub_topic.topics["account-deletions"].id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${each.value}"
}

# The sweeper finds users whose Firebase Auth account was deleted elsewhere (accounts:lookup).
resource "google_project_iam_member" "sweeper_auth_viewer" {
  project = var.project_id
  role    = "roles/firebaseauth.viewer"
  member  = "serviceAccount:${google_service_account.sweeper.email}"
}

# account-deletion: deletes one user's documents, their objects in both buckets, and last their
# Firebase Auth account; publishes its own next step.
resource "google_service_account" "account_deletion" {
  account_id   = "fn-account-deletion"
  display_name = "Cirrus function: account-deletion"
}

resource "google_project_iam_member" "account_deletion_firestore" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.account_deletion.email}"
}

# Lists and deletes objects under the user's prefixes; never reads or writes their bytes.
resource "google_storage_bucket_iam_member" "account_deletion_purges_objects" {
  for_each = {
    uploads = google_storage_bucket.uploads.name
    files   = google_storage_bucket.files.name
  }
  bucket = each.value
  role   = local.custom_roles.object_purger
  member = "serviceAccount:${google_service_account.account_deletion.email}"
}

resource "google_project_iam_member" "account_deletion_deletes_users" {
  project = var.project_id
  role    = local.custom_roles.user_deleter
  member  = "serviceAccount:${google_service_account.account_deletion.email}"
}

resource "google_pubsub_topic_iam_member" "account_deletion_publishes_next_step" {
  topic  = google_pubsub_topic.topics["account-deletions"].id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${google_service_account.account_deletion.email}"
}

resource "google_service_account" "account_deletion_trigger" {
  account_id   = "trigger-account-deletion"
  display_name = "Cirrus trigger: account-deletions to account-deletion"
}

resource "google_project_iam_member" "account_deletion_trigger_receiver" {
  project = var.project_id
  role    = "roles/eventarc.eventReceiver"
  member  = "serviceAccount:${google_service_account.account_deletion_trigger.email}"
}

# Users (POST /v1/me:export) start data exports; the sweeper re-drives stalled ones.
resource "google_pubsub_topic_iam_member" "account_export_starters" {
  for_each = {
    users   = google_service_account.users.email
    sweeper = google_service_account.sweeper.email
  }
  topic  = google_pubsub_topic.topics["account-exports"].id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${each.value}"
}

locals {
  # Export archives and their parts: exports/{uid}/... in the files bucket (ExportArchive).
  exports_condition = "resource.name.startsWith(\"projects/_/buckets/${google_storage_bucket.files.name}/objects/exports/\")"
}

# GET /v1/me/export hands out a signed URL of the archive: a GET authorised as the users account,
# so it may read exports (and nothing else of the bucket) and sign as itself.
resource "google_storage_bucket_iam_member" "users_reads_exports" {
  bucket = google_storage_bucket.files.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.users.email}"
  condition {
    title      = "exports-only"
    expression = local.exports_condition
  }
}

resource "google_service_account_iam_member" "users_signs_as_itself" {
  service_account_id = google_service_account.users.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:${google_service_account.users.email}"
}

# The sweeper deletes archives past their retention (it already deletes in the files bucket).

# account-export: reads the user's documents and originals, writes and composes the archive's
# parts under exports/ (and deletes them); publishes its own next step.
resource "google_service_account" "account_export" {
  account_id   = "fn-account-export"
  display_name = "Cirrus function: account-export"
}

resource "google_project_iam_member" "account_export_firestore" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.account_export.email}"
}

resource "google_storage_bucket_iam_member" "account_export_reads_files" {
  bucket = google_storage_bucket.files.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.account_export.email}"
}

# Create, compose (create + get) and delete, only under exports/: it cannot touch an original.
resource "google_storage_bucket_iam_member" "account_export_writes_exports" {
  bucket = google_storage_bucket.files.name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.account_export.email}"
  condition {
    title      = "exports-only"
    expression = local.exports_condition
  }
}

resource "google_pubsub_topic_iam_member" "account_export_publishes_next_step" {
  topic  = google_pubsub_topic.topics["account-exports"].id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${google_service_account.account_export.email}"
}

resource "google_service_account" "account_export_trigger" {
  account_id   = "trigger-account-export"
  display_name = "Cirrus trigger: account-exports to account-export"
}

resource "google_project_iam_member" "account_export_trigger_receiver" {
  project = var.project_id
  role    = "roles/eventarc.eventReceiver"
  member  = "serviceAccount:${google_service_account.account_export_trigger.email}"
}

# Every function exports its spans to Cloud Trace through the Telemetry (OTLP) API, as itself.
locals {
  function_accounts = {
    users            = google_service_account.users.email
    uploads          = google_service_account.uploads.email
    files            = google_service_account.files.email
    process_upload   = google_service_account.process_upload.email
    notifications    = google_service_account.notifications.email
    notify           = google_service_account.notify.email
    dead_letters     = google_service_account.dead_letters.email
    admin            = google_service_account.admin.email
    sweeper          = google_service_account.sweeper.email
    account_deletion = google_service_account.account_deletion.email
    account_export   = google_service_account.account_export.email
    webhook_delivery = google_service_account.webhook_delivery.email
  }
}

resource "google_project_iam_member" "traces_writer" {
  for_each = local.function_accounts
  project  = var.project_id
  role     = "roles/telemetry.tracesWriter"
  member   = "serviceAccount:${each.value}"
}
