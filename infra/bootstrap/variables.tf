variable "project_id" {
  description = "The Google Cloud project Cirrus runs in (never a demo- project)."
  type        = string
  validation {
    condition     = !startswith(var.project_id, "demo-")
    error_message = "demo- projects are for emulators only."
  }
}

variable "region" {
  description = "Region of the registry, the buckets and the builds."
  type        = string
  default     = "europe-west1"
}

variable "github_owner" {
  description = "Owner of the GitHub repository the triggers build (connected to Cloud Build once, by hand)."
  type        = string
}

variable "github_repository" {
  description = "Name of that repository."
  type        = string
  default     = "cirrus"
}
