locals {
  function_env = {
    GOOGLE_CLOUD_PROJECT = var.project_id
    CIRRUS_CORS_ORIGINS  = var.cors_origins
  }
}

resource "google_cloudfunctions2_function" "users" {
  name     = "users"
  location = var.region

  build_config {
    runtime     = "java17"
    entry_point = "dev.cirrus.functions.users.UsersFunction"
    source {
      storage_source {
        bucket = var.source_bucket
        object = "users-${var.source_version}.zip"
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.users.email
    available_memory                 = "256M"
    max_instance_count               = 20
    min_instance_count               = 0
    max_instance_request_concurrency = 40
    available_cpu                    = "1"
    timeout_seconds                  = 30
    ingress_settings                 = "ALLOW_ALL"
    environment_variables            = local.function_env
  }

  depends_on = [google_project_service.apis]
}

# Only the gateway may call the function; the function itself is never public.
resource "google_cloud_run_service_iam_member" "users_invoker" {
  location = google_cloudfunctions2_function.users.location
  service  = google_cloudfunctions2_function.users.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.gateway.email}"
}
