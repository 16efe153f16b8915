output "deployer" {
  description = "The account infra/ is applied as (cloudbuild-deploy.yaml)."
  value       = google_service_account.deployer.email
}

output "state_bucket" {
  description = "terraform init -backend-config=bucket=<this> in infra/."
  value       = google_storage_bucket.terraform_state.name
}
