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
  # Project-wide roles of the deployer: none of them may change who holds which role in the
  # project, or touch service accounts it did not create.
  deployer_roles = [
    "roles/apigateway.admin",
    "roles/cloudfunctions.developer",
    "roles/run.admin",
    "roles/pubsub.admin",
    "roles/eventarc.developer",   # triggers of event functions; the subscriptions step reads them
    "roles/cloudscheduler.admin", # the maintenance-tick job
    "roles/storage.admin",        # the uploads and files buckets, their notification and IAM
    "roles/datastore.indexAdmin",
    "roles/firebaserules.admin",       # infra/rules.tf
    "roles/iam.serviceAccountCreator", # creates the function accounts...
    "roles/iam.serviceAccountViewer",  # ...and reads them back; changes need the bindings below
    "roles/iam.roleAdmin",             # the custom object-deleter role (it cannot grant it)
    "roles/serviceusage.serviceUsageAdmin",
    "roles/logging.logWriter",
  ]

  # The only project-level roles infra/ grants to anyone but the deployer. The deployer may grant
  # and revoke these and nothing else: a condition on what a policy change modifies, as Google's
  # "setting limits on granting roles" describes. Its own roles are granted at bootstrap.
  delegated_roles = [
    "roles/datastore.user",
    "roles/firebaseauth.viewer",
    "roles/eventarc.eventReceiver",
    google_project_iam_custom_role.push_sender.name,
    google_project_iam_custom_role.subscription_reader.name,
  ]

  # The accounts infra/ creates, which the deployer administers one by one.
  managed_accounts = {
    users                  = google_service_account.users.name
    uploads                = google_service_account.uploads.name
    files                  = google_service_account.files.name
    process_upload         = google_service_account.process_upload.name
    process_upload_trigger = google_service_account.process_upload_trigger.name
    notifications          = google_service_account.notifications.name
    notify                 = google_service_account.notify.name
    notify_trigger         = google_service_account.notify_trigger.name
    dead_letters           = google_service_account.dead_letters.name
    dead_letters_trigger   = google_service_account.dead_letters_trigger.name
    admin                  = google_service_account.admin.name
    sweeper                = google_service_account.sweeper.name
    sweeper_trigger        = google_service_account.sweeper_trigger.name
    gateway                = google_service_account.gateway.name
  }
}

resource "google_project_iam_member" "deployer" {
  for_each = toset(local.deployer_roles)
  project  = var.project_id
  role     = each.value
  member   = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_project_iam_member" "deployer_grants_delegated_roles" {
  project = var.project_id
  role    = "roles/resourcemanager.projectIamAdmin"
  member  = "serviceAccount:${google_service_account.deployer.email}"
  condition {
    title       = "cirrus-delegated-roles-only"
    description = "Grant and revoke only the roles Cirrus's own accounts hold."
    expression  = "api.getAttribute('iam.googleapis.com/modifiedGrantsByRole', []).hasOnly([${join(", ", formatlist("'%s'", local.delegated_roles))}])"
  }
}

# Updates, deletes and IAM of each account infra/ created, on that account alone.
resource "google_service_account_iam_member" "deployer_administers_account" {
  for_each           = local.managed_accounts
  service_account_id = each.value
  role               = "roles/iam.serviceAccountAdmin"
  member             = "serviceAccount:${google_service_account.deployer.email}"
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

resource "google_service_account_iam_member" "deployer_acts_as_notifications" {
  service_account_id = google_service_account.notifications.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_service_account_iam_member" "deployer_acts_as_notify" {
  service_account_id = google_service_account.notify.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_service_account_iam_member" "deployer_acts_as_notify_trigger" {
  service_account_id = google_service_account.notify_trigger.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_service_account_iam_member" "deployer_acts_as_dead_letters" {
  service_account_id = google_service_account.dead_letters.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_service_account_iam_member" "deployer_acts_as_dead_letters_trigger" {
  service_account_id = google_service_account.dead_letters_trigger.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_service_account_iam_member" "deployer_acts_as_admin" {
  service_account_id = google_service_account.admin.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_service_account_iam_member" "deployer_acts_as_sweeper" {
  service_account_id = google_service_account.sweeper.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_service_account_iam_member" "deployer_acts_as_sweeper_trigger" {
  service_account_id = google_service_account.sweeper_trigger.name
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
