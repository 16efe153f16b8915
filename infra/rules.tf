# Security rules as the emulators run them: the files are the ones emulator-config/firebase.json
# names, which the local stack loads into the Firestore emulator, so what is tested locally is
# what is deployed. Without these, production would keep whatever rules the database was created
# with.
locals {
  firebase_config = jsondecode(file("${path.module}/../emulator-config/firebase.json"))
  firestore_rules = "${path.module}/../emulator-config/${local.firebase_config.firestore.rules}"
  storage_rules   = "${path.module}/../emulator-config/${local.firebase_config.storage.rules}"
}

resource "google_firebaserules_ruleset" "firestore" {
  project = var.project_id
  source {
    files {
      name    = "firestore.rules"
      content = file(local.firestore_rules)
    }
  }
  depends_on = [google_firestore_database.default, google_project_service.apis]
}

resource "google_firebaserules_release" "firestore" {
  project      = var.project_id
  name         = "cloud.firestore"
  ruleset_name = google_firebaserules_ruleset.firestore.name
}

# Deny-all Storage rules on both buckets. Neither bucket is linked to Firebase, so no Firebase SDK
# reaches it today; the release keeps it closed if someone links one later.
resource "google_firebaserules_ruleset" "storage" {
  project = var.project_id
  source {
    files {
      name    = "storage.rules"
      content = file(local.storage_rules)
    }
  }
  depends_on = [google_project_service.apis]
}

resource "google_firebaserules_release" "storage" {
  for_each     = toset([google_storage_bucket.uploads.name, google_storage_bucket.files.name])
  project      = var.project_id
  name         = "firebase.storage/${each.value}"
  ruleset_name = google_firebaserules_ruleset.storage.name
}
