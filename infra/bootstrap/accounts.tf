# The two accounts builds run as. The tester runs the commit's tests (cloudbuild.yaml): code from
# a pull request, so it holds no project role at all, only what the test build itself writes (its
# image and its logs), granted on those resources. The deployer runs infra/ (cloudbuild-deploy.yaml)
# once the tests of that commit have passed.

resource "google_service_account" "tester" {
  account_id   = "cirrus-tester"
  display_name = "Cirrus tests (Cloud Build); no project roles"
}

resource "google_service_account" "deployer" {
  account_id   = "cirrus-deployer"
  display_name = "Cirrus delivery (Cloud Build)"
}

locals {
  # Project-wide roles of the deployer. None of them changes who holds which role in the project,
  # edits a role, or mints a credential (InfraTest holds this list to that): resource-level IAM on
  # what it deploys (topics, buckets, services) is all the IAM they carry.
  deployer_roles = [
    "roles/apigateway.admin",
    "roles/cloudfunctions.developer",
    "roles/run.admin",
    "roles/pubsub.admin",
    "roles/eventarc.developer",   # triggers of event functions; the subscriptions step reads them
    "roles/cloudscheduler.admin", # the maintenance-tick job
    "roles/storage.admin",        # the uploads and files buckets, their notification and IAM
    "roles/datastore.indexAdmin",
    "roles/datastore.backupSchedulesAdmin",             # the daily and weekly backups
    google_project_iam_custom_role.database_admin.name, # the database and its PITR setting
    "roles/firebaserules.admin",                        # infra/rules.tf
    "roles/firebase.developAdmin",                      # infra/hosting.tf: the Firebase web app and its config
    "roles/firebasehosting.admin",                      # the Hosting site, and the web step's deploy to it
    "roles/firebaseappcheck.admin",                     # the web app's App Check (reCAPTCHA Enterprise) config
    "roles/recaptchaenterprise.admin",                  # the reCAPTCHA Enterprise key App Check uses
    "roles/iam.serviceAccountCreator",                  # creates the function accounts...
    "roles/iam.serviceAccountViewer",                   # ...and reads them back; changes need the bindings in infra/
    "roles/serviceusage.serviceUsageAdmin",
    "roles/redis.admin",           # infra/redis.tf: Memorystore
    "roles/vpcaccess.admin",       # the functions' connector to it
    "roles/compute.networkAdmin",  # the VPC it lives in
    "roles/secretmanager.admin",   # the Redis AUTH string, the edge key, and who may read them
    "roles/compute.securityAdmin", # infra/edge.tf: the Cloud Armor policy and the certificate
    "roles/logging.configWriter",  # infra/monitoring.tf: log-based metrics
    "roles/monitoring.alertPolicyEditor",
    "roles/monitoring.dashboardEditor",
    "roles/monitoring.servicesEditor", # the API's service and its SLOs
    "roles/logging.logWriter",
  ]

  # The only project-level roles infra/ grants to anyone. The deployer may grant and revoke these
  # and nothing else: a condition on what a policy change modifies, as Google's "setting limits on
  # granting roles" describes. The custom ones are fixed here, where the deployer cannot edit them.
  delegated_roles = [
    "roles/datastore.user",
    "roles/firebaseauth.viewer",
    "roles/eventarc.eventReceiver",
    "roles/telemetry.tracesWriter", # every function exports its spans to Cloud Trace
    google_project_iam_custom_role.push_sender.name,
    google_project_iam_custom_role.subscription_reader.name,
    google_project_iam_custom_role.user_admin.name,
    google_project_iam_custom_role.user_deleter.name,
  ]
}

resource "google_project_iam_member" "deployer" {
  for_each = toset(local.deployer_roles)
  project  = var.project_id
  role     = each.value
  member   = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_project_iam_member" "deployer_grants_delegated_roles" {
  project = var.project_id
  role    = "roles/resourcemanager.projectIamAdmin"
  member  = "serviceAccount:${google_service_account.deployer.email}"
  condition {
    title       = "cirrus-delegated-roles-only"
    description = "Grant and revoke only the roles Cirrus's own accounts hold."
    expression  = "api.getAttribute('iam.googleapis.com/modifiedGrantsByRole', []).hasOnly([${join(", ", formatlist("'%s'", local.delegated_roles))}])"
  }
}
