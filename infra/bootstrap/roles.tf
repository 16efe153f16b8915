# The project's custom roles, made here and nowhere else. The deployer may grant the ones the
# functions hold (infra/deploy.tf's condition names them) but holds no roles/iam.roleAdmin, so it
# cannot add a permission to one of them and grant that to itself: before this root existed it
# could, which made it project owner in two calls.

resource "google_project_iam_custom_role" "object_deleter" {
  role_id     = "cirrusObjectDeleter"
  title       = "Cirrus object deleter"
  description = "Deletes objects; cannot create, overwrite or read them."
  permissions = ["storage.objects.delete"]
}

resource "google_project_iam_custom_role" "push_sender" {
  role_id     = "cirrusPushSender"
  title       = "Cirrus push sender"
  description = "Sends FCM messages; nothing else."
  permissions = ["cloudmessaging.messages.create"]
}

# The admin function's tools (roles, disable, enable): read and update accounts, never create,
# delete or import them, nor touch the project's sign-in configuration (firebaseauth.admin would).
resource "google_project_iam_custom_role" "user_admin" {
  role_id     = "cirrusUserAdmin"
  title       = "Cirrus user admin"
  description = "Reads Firebase Auth users and updates their claims and disabled state."
  permissions = ["firebaseauth.users.get", "firebaseauth.users.update"]
}

resource "google_project_iam_custom_role" "subscription_reader" {
  role_id     = "cirrusSubscriptionReader"
  title       = "Cirrus subscription reader"
  description = "Reads a subscription's configuration (which topic it reads)."
  permissions = ["pubsub.subscriptions.get"]
}

# The deployer's hold on the Firestore database itself (infra/firestore.tf): create it, read it and
# change its settings (point-in-time recovery), never delete it or read or write its documents,
# which roles/datastore.owner would allow.
resource "google_project_iam_custom_role" "database_admin" {
  role_id     = "cirrusDatabaseAdmin"
  title       = "Cirrus database admin"
  description = "Creates the Firestore database and updates its settings; no data, no delete."
  permissions = [
    "datastore.databases.create",
    "datastore.databases.get",
    "datastore.databases.getMetadata",
    "datastore.databases.list",
    "datastore.databases.update",
  ]
}

# Account deletion: lists what is under a user's prefixes and deletes it; cannot read, create or
# overwrite an object.
resource "google_project_iam_custom_role" "object_purger" {
  role_id     = "cirrusObjectPurger"
  title       = "Cirrus object purger"
  description = "Lists and deletes objects; cannot read, create or overwrite them."
  permissions = ["storage.objects.delete", "storage.objects.list"]
}

# Account deletion's last step: the Firebase Auth user goes; nothing else about accounts changes.
resource "google_project_iam_custom_role" "user_deleter" {
  role_id     = "cirrusUserDeleter"
  title       = "Cirrus user deleter"
  description = "Reads and deletes Firebase Auth users."
  permissions = ["firebaseauth.users.delete", "firebaseauth.users.get"]
}
