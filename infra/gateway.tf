resource "google_api_gateway_api" "cirrus" {
  provider   = google-beta
  api_id     = "cirrus"
  depends_on = [google_project_service.apis]
}

resource "google_api_gateway_api_config" "cirrus" {
  provider      = google-beta
  api           = google_api_gateway_api.cirrus.api_id
  api_config_id = "cirrus-${var.source_version}"

  openapi_documents {
    document {
      path = "openapi.yaml"
      contents = base64encode(templatefile("${path.module}/openapi.yaml", {
        project_id        = var.project_id
        users_url         = google_cloudfunctions2_function.users.service_config[0].uri
        uploads_url       = google_cloudfunctions2_function.uploads.service_config[0].uri
        files_url         = google_cloudfunctions2_function.files.service_config[0].uri
        notifications_url = google_cloudfunctions2_function.notifications.service_config[0].uri
        admin_url         = google_cloudfunctions2_function.admin.service_config[0].uri
      }))
    }
  }

  gateway_config {
    backend_config {
      google_service_account = google_service_account.gateway.email
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "google_api_gateway_gateway" "cirrus" {
  provider   = google-beta
  gateway_id = "cirrus"
  api_config = google_api_gateway_api_config.cirrus.id
  region     = var.region
}
