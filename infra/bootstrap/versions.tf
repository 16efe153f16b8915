# The bootstrap root: applied once, by a project owner, before the first build. It makes what the
# delivery pipeline must not be able to change about itself: the accounts builds run as, their
# project roles, the custom roles the functions hold, the Terraform state and build-log buckets,
# the image registry and the two build triggers. The deployer (infra/) holds no role that edits
# any of it; a change here is a reviewed change applied by an owner again.
terraform {
  required_version = ">= 1.5"
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.0"
    }
  }
  # Its own state stays with the owner who applies it (local, or a bucket of their choosing):
  # the deployer must not be able to read or rewrite it.
}

provider "google" {
  project = var.project_id
  region  = var.region
}
