# What the delivery pipeline itself needs: a private bucket for function archives, a
# registry for the CI image, and the account Cloud Build deploys as.

resource "google_storage_bucket" "function_sources" {
  name                        = var.source_bucket
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  lifecycle_rule {
    condition {
      age = 30
    }
    action {
      type = "Delete"
    }
  }
}

resource "google_artifact_registry_repository" "cirrus" {
  repository_id = "cirrus"
  location      = var.region
  format        = "DOCKER"
  depends_on    = [google_project_service.apis]
}

resource "google_service_account" "deployer" {
  account_id   = "cirrus-deployer"
  display_name = "Cirrus delivery (Cloud Build)"
}

locals {
  deployer_roles = [
    "roles/apigateway.admin",
    "roles/cloudfunctions.developer",
    "roles/run.admin",
    "roles/pubsub.admin",
    "roles/eventarc.developer", # triggers of event functions; the subscriptions step reads them
    "roles/storage.admin",      # the uploads and files buckets, their notification and IAM
    "roles/datastore.indexAdmin",
    "roles/iam.serviceAccountAdmin",
    "roles/resourcemanager.projectIamAdmin",
    "roles/serviceusage.serviceUsageAdmin",
    "roles/logging.logWriter",
  ]
}

resource "google_project_iam_member" "deployer" {
  for_each = toset(local.deployer_roles)
  project  = var.project_id
  role     = each.value
  member   = "serviceAccount:${google_service_account.deployer.email}"
}

# It deploys functions that run as their own accounts, so it may act as those, and no other.
resource "google_service_account_iam_member" "deployer_acts_as_users" {
  service_account_id = google_service_account.users.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_service_account_iam_member" "deployer_acts_as_uploads" {
  service_account_id = google_service_account.uploads.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_service_account_iam_member" "deployer_acts_as_files" {
  service_account_id = google_service_account.files.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_service_account_iam_member" "deployer_acts_as_process_upload" {
  service_account_id = google_service_account.process_upload.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_service_account_iam_member" "deployer_acts_as_process_upload_trigger" {
  service_account_id = google_service_account.process_upload_trigger.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_service_account_iam_member" "deployer_acts_as_gateway" {
  service_account_id = google_service_account.gateway.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_storage_bucket_iam_member" "deployer_sources" {
  bucket = google_storage_bucket.function_sources.name
  role   = "roles/storage.objectAdmin"
  member = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_artifact_registry_repository_iam_member" "deployer_images" {
  repository = google_artifact_registry_repository.cirrus.name
  location   = google_artifact_registry_repository.cirrus.location
  role       = "roles/artifactregistry.writer"
  member     = "serviceAccount:${google_service_account.deployer.email}"
}
