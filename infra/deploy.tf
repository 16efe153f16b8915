# What the delivery pipeline needs from infra/: a private bucket for function archives, and the
# bindings that let the deployer administer, and deploy as, the accounts infra/ creates.

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

locals {
  # The deployer, its project roles, the custom roles and the registry come from bootstrap/,
  # applied once by a project owner: nothing applied as the deployer can change what it may do.
  deployer = "serviceAccount:cirrus-deployer@${var.project_id}.iam.gserviceaccount.com"

  # The custom roles bootstrap/roles.tf defines, by name.
  custom_roles = {
    object_deleter      = "projects/${var.project_id}/roles/cirrusObjectDeleter"
    object_purger       = "projects/${var.project_id}/roles/cirrusObjectPurger"
    user_deleter        = "projects/${var.project_id}/roles/cirrusUserDeleter"
    push_sender         = "projects/${var.project_id}/roles/cirrusPushSender"
    subscription_reader = "projects/${var.project_id}/roles/cirrusSubscriptionReader"
    user_admin          = "projects/${var.project_id}/roles/cirrusUserAdmin"
  }

  # The accounts infra/ creates, which the deployer administers one by one.
  managed_accounts = {
    users                    = google_service_account.users.name
    uploads                  = google_service_account.uploads.name
    files                    = google_service_account.files.name
    process_upload           = google_service_account.process_upload.name
    process_upload_trigger   = google_service_account.process_upload_trigger.name
    notifications            = google_service_account.notifications.name
    notify                   = google_service_account.notify.name
    notify_trigger           = google_service_account.notify_trigger.name
    dead_letters             = google_service_account.dead_letters.name
    dead_letters_trigger     = google_service_account.dead_letters_trigger.name
    admin                    = google_service_account.admin.name
    sweeper                  = google_service_account.sweeper.name
    sweeper_trigger          = google_service_account.sweeper_trigger.name
    account_deletion         = google_service_account.account_deletion.name
    account_deletion_trigger = google_service_account.account_deletion_trigger.name
    account_export           = google_service_account.account_export.name
    account_export_trigger   = google_service_account.account_export_trigger.name
    webhook_delivery         = google_service_account.webhook_delivery.name
    webhook_delivery_trigger = google_service_account.webhook_delivery_trigger.name
    gateway                  = google_service_account.gateway.name
  }
}

# Updates, deletes and IAM of each account infra/ created, on that account alone.
resource "google_service_account_iam_member" "deployer_administers_account" {
  for_each           = local.managed_accounts
  service_account_id = each.value
  role               = "roles/iam.serviceAccountAdmin"
  member             = local.deployer
}

# It deploys functions that run as their own accounts, so it may act as those, and no other.
resource "google_service_account_iam_member" "deployer_acts_as_users" {
  service_account_id = google_service_account.users.name
  role               = "roles/iam.serviceAccountUser"
  member             = local.deployer
}

resource "google_service_account_iam_member" "deployer_acts_as_uploads" {
  service_account_id = google_service_account.uploads.name
  role               = "roles/iam.serviceAccountUser"
  member             = local.deployer
}

resource "google_service_account_iam_member" "deployer_acts_as_files" {
  service_account_id = google_service_account.files.name
  role               = "roles/iam.serviceAccountUser"
  member             = local.deployer
}

resource "google_service_account_iam_member" "deployer_acts_as_process_upload" {
  service_account_id = google_service_account.process_upload.name
  role               = "roles/iam.serviceAccountUser"
  member             = local.deployer
}

resource "google_service_account_iam_member" "deployer_acts_as_process_upload_trigger" {
  service_account_id = google_service_account.process_upload_trigger.name
  role               = "roles/iam.serviceAccountUser"
  member             = local.deployer
}

resource "google_service_account_iam_member" "deployer_acts_as_notifications" {
  service_account_id = google_service_account.notifications.name
  role               = "roles/iam.serviceAccountUser"
  member             = local.deployer
}

resource "google_service_account_iam_member" "deployer_acts_as_notify" {
  service_account_id = google_service_account.notify.name
  role               = "roles/iam.serviceAccountUser"
  member             = local.deployer
}

resource "google_service_account_iam_member" "deployer_acts_as_notify_trigger" {
  service_account_id = google_service_account.notify_trigger.name
  role               = "roles/iam.serviceAccountUser"
  member             = local.deployer
}

resource "google_service_account_iam_member" "deployer_acts_as_dead_letters" {
  service_account_id = google_service_account.dead_letters.name
  role               = "roles/iam.serviceAccountUser"
  member             = local.deployer
}

resource "google_service_account_iam_member" "deployer_acts_as_dead_letters_trigger" {
  service_account_id = google_service_account.dead_letters_trigger.name
  role               = "roles/iam.serviceAccountUser"
  member             = local.deployer
}

resource "google_service_account_iam_member" "deployer_acts_as_admin" {
  service_account_id = google_service_account.admin.name
  role               = "roles/iam.serviceAccountUser"
  member             = local.deployer
}

resource "google_service_account_iam_member" "deployer_acts_as_sweeper" {
  service_account_id = google_service_account.sweeper.name
  role               = "roles/iam.serviceAccountUser"
  member             = local.deployer
}

resource "google_service_account_iam_member" "deployer_acts_as_sweeper_trigger" {
  service_account_id = google_service_account.sweeper_trigger.name
  role               = "roles/iam.serviceAccountUser"
  member             = local.deployer
}

resource "google_service_account_iam_member" "deployer_acts_as_account_deletion" {
  service_account_id = google_service_account.account_deletion.name
  role               = "roles/iam.serviceAccountUser"
  member             = local.deployer
}

resource "google_service_account_iam_member" "deployer_acts_as_account_deletion_trigger" {
  service_account_id = google_service_account.account_deletion_trigger.name
  role               = "roles/iam.serviceAccountUser"
  member             = local.deployer
}

resource "google_service_account_iam_member" "deployer_acts_as_account_export" {
  service_account_id = google_service_account.account_export.name
  role               = "roles/iam.serviceAccountUser"
  member             = local.deployer
}

resource "google_service_account_iam_member" "deployer_acts_as_account_export_trigger" {
  service_account_id = google_service_account.account_export_trigger.name
  role               = "roles/iam.serviceAccountUser"
  member             = local.deployer
}

resource "google_service_account_iam_member" "deployer_acts_as_webhook_delivery" {
  service_account_id = google_service_account.webhook_delivery.name
  role               = "roles/iam.serviceAccountUser"
  member             = local.deployer
}

resource "google_service_account_iam_member" "deployer_acts_as_webhook_delivery_trigger" {
  service_account_id = google_service_account.webhook_delivery_trigger.name
  role               = "roles/iam.serviceAccountUser"
  member             = local.deployer
}

resource "google_service_account_iam_member" "deployer_acts_as_gateway" {
  service_account_id = google_service_account.gateway.name
  role               = "roles/iam.serviceAccountUser"
  member             = local.deployer
}

resource "google_storage_bucket_iam_member" "deployer_sources" {
  bucket = google_storage_bucket.function_sources.name
  role   = "roles/storage.objectAdmin"
  member = local.deployer
}
