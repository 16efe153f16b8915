output "api_url" {
  description = "Where mobile apps reach the API."
  value       = "https://${google_api_gateway_gateway.cirrus.default_hostname}"
}

output "users_function_uri" {
  value = google_cloudfunctions2_function.users.service_config[0].uri
}
