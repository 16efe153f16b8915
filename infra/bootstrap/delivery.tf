# Where the builds keep what they make, and the triggers that start them.

resource "google_storage_bucket" "terraform_state" {
  name                        = "${var.project_id}-tfstate"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  versioning {
    enabled = true # a bad apply can be rolled back to the state before it
  }
}

resource "google_storage_bucket_iam_member" "deployer_state" {
  bucket = google_storage_bucket.terraform_state.name
  role   = "roles/storage.objectAdmin"
  member = "serviceAccount:${google_service_account.deployer.email}"
}

# Builds that run as a service account of our own write their logs to a bucket we name.
resource "google_storage_bucket" "build_logs" {
  name                        = "${var.project_id}-build-logs"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  lifecycle_rule {
    condition {
      age = 90
    }
    action {
      type = "Delete"
    }
  }
}

resource "google_storage_bucket_iam_member" "build_logs" {
  for_each = {
    tester   = google_service_account.tester.email
    deployer = google_service_account.deployer.email
  }
  bucket = google_storage_bucket.build_logs.name
  role   = "roles/storage.objectCreator"
  member = "serviceAccount:${each.value}"
}

resource "google_artifact_registry_repository" "cirrus" {
  repository_id = "cirrus"
  location      = var.region
  format        = "DOCKER"
}

# The test build makes the image every later step runs in; the deploy build only pulls it.
resource "google_artifact_registry_repository_iam_member" "tester_images" {
  repository = google_artifact_registry_repository.cirrus.name
  location   = google_artifact_registry_repository.cirrus.location
  role       = "roles/artifactregistry.writer"
  member     = "serviceAccount:${google_service_account.tester.email}"
}

resource "google_artifact_registry_repository_iam_member" "deployer_images" {
  repository = google_artifact_registry_repository.cirrus.name
  location   = google_artifact_registry_repository.cirrus.location
  role       = "roles/artifactregistry.reader"
  member     = "serviceAccount:${google_service_account.deployer.email}"
}

# Cloud Build announces every build's state on this topic; the deploy trigger listens to it.
resource "google_pubsub_topic" "cloud_builds" {
  name = "cloud-builds"
}

resource "google_cloudbuild_trigger" "test" {
  name            = "cirrus-test"
  location        = var.region
  filename        = "cloudbuild.yaml"
  service_account = google_service_account.tester.id
  github {
    owner = var.github_owner
    name  = var.github_repository
    push {
      branch = "^main$"
    }
  }
}

# Deploys a commit only after its test build succeeded: the build's own message says which
# trigger it came from, how it ended and which commit it tested.
resource "google_cloudbuild_trigger" "deploy" {
  name            = "cirrus-deploy"
  location        = var.region
  service_account = google_service_account.deployer.id
  pubsub_config {
    topic = google_pubsub_topic.cloud_builds.id
  }
  substitutions = {
    _STATUS     = "$(body.message.data.status)"
    _TRIGGER_ID = "$(body.message.data.buildTriggerId)"
    _COMMIT     = "$(body.message.data.substitutions.COMMIT_SHA)"
  }
  filter = "_STATUS == \"SUCCESS\" && _TRIGGER_ID == \"${google_cloudbuild_trigger.test.trigger_id}\""
  source_to_build {
    uri       = "https://github.com/${var.github_owner}/${var.github_repository}"
    ref       = "refs/heads/main"
    repo_type = "GITHUB"
  }
  git_file_source {
    path      = "cloudbuild-deploy.yaml"
    uri       = "https://github.com/${var.github_owner}/${var.github_repository}"
    revision  = "refs/heads/main"
    repo_type = "GITHUB"
  }
}
