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
