# One service account per function, holding only what that function does. Firestore has no
# per-collection IAM, so datastore.user is the narrowest role for a function that reads and
# writes documents; security rules keep clients out.

resource "google_service_account" "users" {
  account_id   = "fn-users"
  display_name = "Cirrus function: users"
}

resource "google_project_iam_member" "users_firestore" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.users.email}"
}

# verifyIdToken(checkRevoked = true) reads the user record.
resource "google_project_iam_member" "users_auth_viewer" {
  project = var.project_id
  role    = "roles/firebaseauth.viewer"
  member  = "serviceAccount:${google_service_account.users.email}"
}

# The gateway calls functions as this account; it may invoke them and nothing else.
resource "google_service_account" "gateway" {
  account_id   = "api-gateway"
  display_name = "Cirrus API Gateway"
}
