output "api_url" {
  description = "Where mobile apps reach the API: through the edge (infra/edge.tf)."
  value       = "https://${var.api_domain}"
}

output "gateway_url" {
  description = "The API Gateway's own address, behind the edge; apps should not use it."
  value       = "https://${google_api_gateway_gateway.cirrus.default_hostname}"
}

output "users_function_uri" {
  value = google_cloudfunctions2_function.users.service_config[0].uri
}

output "uploads_function_uri" {
  value = google_cloudfunctions2_function.uploads.service_config[0].uri
}

output "files_function_uri" {
  value = google_cloudfunctions2_function.files.service_config[0].uri
}

output "uploads_bucket" {
  value = google_storage_bucket.uploads.name
}

output "files_bucket" {
  value = google_storage_bucket.files.name
}

output "web_config" {
  description = "What the web app reads from /config.json on Hosting: cloudbuild-deploy.yaml writes it into the build."
  value = {
    apiUrl           = "https://${var.api_domain}"
    projectId        = var.project_id
    apiKey           = data.google_firebase_web_app_config.web.api_key
    appId            = google_firebase_web_app.web.app_id
    authDomain       = data.google_firebase_web_app_config.web.auth_domain
    recaptchaSiteKey = google_recaptcha_enterprise_key.web.name
  }
}

output "web_site" {
  description = "The Hosting site the web app is deployed to, and its address."
  value = {
    siteId = google_firebase_hosting_site.web.site_id
    url    = google_firebase_hosting_site.web.default_url
  }
}
