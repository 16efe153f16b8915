# Memorystore for Redis: the rate limits' token buckets (shared by every instance of every HTTP
# function) and the shared user cache. Private only: it has an address in the VPC below and no
# other, and the functions reach it through the Serverless VPC Access connector.

resource "google_compute_network" "cirrus" {
  name                    = "cirrus"
  auto_create_subnetworks = false
  depends_on              = [google_project_service.apis]
}

resource "google_vpc_access_connector" "cirrus" {
  name          = "cirrus"
  region        = var.region
  network       = google_compute_network.cirrus.name
  ip_cidr_range = "10.8.0.0/28"
  min_instances = 2
  max_instances = 3
  depends_on    = [google_project_service.apis]
}

resource "google_redis_instance" "cirrus" {
  name               = "cirrus"
  region             = var.region
  tier               = "STANDARD_HA" # a replica in another zone: a zone outage keeps the limits
  memory_size_gb     = 1
  redis_version      = "REDIS_7_0"
  authorized_network = google_compute_network.cirrus.id
  connect_mode       = "DIRECT_PEERING"
  # Every client proves it holds the AUTH string (Secret Manager below), beyond being in the VPC.
  auth_enabled = true
  # Buckets and cache entries expire on their own; under memory pressure the least recently used
  # key with an expiry goes first, never a refusal to write.
  redis_configs = {
    maxmemory-policy = "volatile-lru"
  }
  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret" "redis_auth" {
  secret_id = "cirrus-redis-auth"
  replication {
    auto {}
  }
  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret_version" "redis_auth" {
  secret      = google_secret_manager_secret.redis_auth.id
  secret_data = google_redis_instance.cirrus.auth_string
}

# Only the functions that use Redis may read it: the HTTP ones (the front door, the user cache)
# and the two that change quotas and so evict cached user records.
resource "google_secret_manager_secret_iam_member" "redis_auth_readers" {
  for_each = {
    users            = google_service_account.users.email
    uploads          = google_service_account.uploads.email
    files            = google_service_account.files.email
    notifications    = google_service_account.notifications.email
    admin            = google_service_account.admin.email
    process_upload   = google_service_account.process_upload.email
    sweeper          = google_service_account.sweeper.email
    account_deletion = google_service_account.account_deletion.email
  }
  secret_id = google_secret_manager_secret.redis_auth.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${each.value}"
}
