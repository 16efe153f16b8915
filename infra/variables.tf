variable "project_id" {
  description = "The Google Cloud project Cirrus runs in (never a demo- project)."
  type        = string
  validation {
    condition     = !startswith(var.project_id, "demo-")
    error_message = "demo- projects are for emulators only."
  }
}

variable "region" {
  description = "Region of the functions, buckets and Firestore database."
  type        = string
  default     = "europe-west1"
}

variable "source_bucket" {
  description = "Bucket Cloud Build uploads function archives to (see cloudbuild.yaml)."
  type        = string
}

variable "source_version" {
  description = "Version suffix of the uploaded archives, e.g. the commit's short SHA."
  type        = string
}

variable "cors_origins" {
  description = "Browser origins allowed to call the API and to PUT to upload sessions besides the hosted web app's own (infra/hosting.tf), e.g. [\"https://app.example.com\"]. None by default: mobile apps send no Origin, and another web app's origin is named, never assumed; [\"*\"] allows any, if you mean it (bearer tokens only, no cookies)."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for o in var.cors_origins : o == "*" || can(regex("^https?://[^/,*]+$", o))])
    error_message = "cors_origins holds \"*\" or origins such as https://app.example.com (scheme and host, no path or comma)."
  }
}

variable "notification_publishers" {
  description = "Principals allowed to publish notification requests, e.g. [\"serviceAccount:crm@other-project.iam.gserviceaccount.com\"]."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for p in var.notification_publishers : can(regex("^(serviceAccount|user|group|domain|principal|principalSet):.+$", p))])
    error_message = "each publisher is an IAM member such as serviceAccount:name@project.iam.gserviceaccount.com."
  }
}

variable "app_check" {
  description = "App Check per route class: off, monitor (log and count, let through) or enforce (401 app-check-failed). 'all' sets every class; reads, writes and uploads override one (empty: as all). Start with monitor, watch the appCheck log label, then enforce."
  type = object({
    all     = optional(string, "monitor")
    reads   = optional(string, "")
    writes  = optional(string, "")
    uploads = optional(string, "")
  })
  default = {}
  validation {
    condition     = alltrue([for m in values(var.app_check) : contains(["", "off", "monitor", "enforce"], m)])
    error_message = "each app_check mode is off, monitor or enforce."
  }
}

variable "trace_sample_ratio" {
  description = "The share of traces whose spans go to Cloud Trace (0 to 1). Every log line carries its trace either way."
  type        = number
  default     = 0.1
  validation {
    condition     = var.trace_sample_ratio >= 0 && var.trace_sample_ratio <= 1
    error_message = "trace_sample_ratio must be between 0 and 1."
  }
}
