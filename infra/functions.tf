locals {
  function_env = {
    GOOGLE_CLOUD_PROJECT = var.project_id
    CIRRUS_CORS_ORIGINS  = join(",", local.cors_origins)
    # The Firestore client traces every call unless told not to: -15-25% CPU per request, and
    # spans of its internals beside the adapters' own span per call (TracedPorts).
    FIRESTORE_ENABLE_TRACING = "off"
    # Spans to Cloud Trace's OTLP endpoint (TelemetrySettings), sampled by trace id: the same
    # decision in every function for one trace, and never the caller's flag, which would let a
    # client choose what we pay to trace.
    OTEL_TRACES_SAMPLER     = "traceidratio"
    OTEL_TRACES_SAMPLER_ARG = tostring(var.trace_sample_ratio)
    # App Check (shared/.../config/AppCheckPolicy): tokens name the project by number.
    CIRRUS_APP_CHECK                = var.app_check.all
    CIRRUS_APP_CHECK_READS          = var.app_check.reads
    CIRRUS_APP_CHECK_WRITES         = var.app_check.writes
    CIRRUS_APP_CHECK_UPLOADS        = var.app_check.uploads
    CIRRUS_APP_CHECK_PROJECT_NUMBER = data.google_project.current.number
  }
  # HTTP functions answer someone waiting, so they start with the C1 JIT only; the JVM reads
  # JAVA_TOOL_OPTIONS itself, whatever launches it. local/bench/users (2 cores): first response
  # 1705-1873 ms against 2198-2786 ms with both JITs, at the same warm throughput (507 and 498
  # req/s). Event functions keep C2: process-upload's decoding loops are where it pays.
  http_start = { JAVA_TOOL_OPTIONS = "-XX:TieredStopAtLevel=1" }
  # Memorystore: the HTTP functions' rate limits and the shared user cache, which process-upload
  # and the sweeper evict from when they change a quota.
  front_door = {
    CIRRUS_REDIS_URL = "redis://${google_redis_instance.cirrus.host}:${google_redis_instance.cirrus.port}"
  }
}

resource "google_cloudfunctions2_function" "users" {
  name     = "users"
  location = var.region

  build_config {
    runtime     = "java17"
    entry_point = "dev.cirrus.functions.users.UsersFunction"
    source {
      storage_source {
        bucket = var.source_bucket
        object = "users-${var.source_version}.zip"
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.users.email
    available_memory                 = "256M"
    max_instance_count               = 20
    min_instance_count               = 0
    max_instance_request_concurrency = 40
    available_cpu                    = "1"
    timeout_seconds                  = 30
    ingress_settings                 = "ALLOW_ALL"
    # Memorystore has only a private address: reached through the connector, and nothing else is.
    vpc_connector                 = google_vpc_access_connector.cirrus.id
    vpc_connector_egress_settings = "PRIVATE_RANGES_ONLY"
    secret_environment_variables {
      key        = "CIRRUS_REDIS_AUTH"
      project_id = var.project_id
      secret     = google_secret_manager_secret.redis_auth.secret_id
      version    = "latest"
    }
    # Proof a request came through the load balancer (infra/edge.tf).
    secret_environment_variables {
      key        = "CIRRUS_EDGE_KEY"
      project_id = var.project_id
      secret     = google_secret_manager_secret.edge_key.secret_id
      version    = "latest"
    }
    environment_variables = merge(local.function_env, local.http_start, local.front_door)
  }

  # A secret's version and the account's access to it must exist before a deploy names it.
  depends_on = [
    google_project_service.apis,
    google_secret_manager_secret_version.redis_auth,
    google_secret_manager_secret_iam_member.redis_auth_readers,
    google_secret_manager_secret_version.edge_key,
    google_secret_manager_secret_iam_member.edge_key_readers,
  ]
}

# Only the gateway may call the function; the function itself is never public.
resource "google_cloud_run_service_iam_member" "users_invoker" {
  location = google_cloudfunctions2_function.users.location
  service  = google_cloudfunctions2_function.users.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.gateway.email}"
}

locals {
  upload_env = merge(local.function_env, {
    CIRRUS_UPLOADS_BUCKET = google_storage_bucket.uploads.name
    CIRRUS_FILES_BUCKET   = google_storage_bucket.files.name
  })
}

resource "google_cloudfunctions2_function" "uploads" {
  name     = "uploads"
  location = var.region

  build_config {
    runtime     = "java17"
    entry_point = "dev.cirrus.functions.uploads.UploadsFunction"
    source {
      storage_source {
        bucket = var.source_bucket
        object = "uploads-${var.source_version}.zip"
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.uploads.email
    available_memory                 = "256M"
    max_instance_count               = 20
    min_instance_count               = 0
    max_instance_request_concurrency = 40
    available_cpu                    = "1"
    timeout_seconds                  = 30
    ingress_settings                 = "ALLOW_ALL"
    # Memorystore has only a private address: reached through the connector, and nothing else is.
    vpc_connector                 = google_vpc_access_connector.cirrus.id
    vpc_connector_egress_settings = "PRIVATE_RANGES_ONLY"
    secret_environment_variables {
      key        = "CIRRUS_REDIS_AUTH"
      project_id = var.project_id
      secret     = google_secret_manager_secret.redis_auth.secret_id
      version    = "latest"
    }
    # Proof a request came through the load balancer (infra/edge.tf).
    secret_environment_variables {
      key        = "CIRRUS_EDGE_KEY"
      project_id = var.project_id
      secret     = google_secret_manager_secret.edge_key.secret_id
      version    = "latest"
    }
    environment_variables = merge(local.upload_env, local.http_start, local.front_door)
  }

  # A secret's version and the account's access to it must exist before a deploy names it.
  depends_on = [
    google_project_service.apis,
    google_secret_manager_secret_version.redis_auth,
    google_secret_manager_secret_iam_member.redis_auth_readers,
    google_secret_manager_secret_version.edge_key,
    google_secret_manager_secret_iam_member.edge_key_readers,
  ]
}

resource "google_cloud_run_service_iam_member" "uploads_invoker" {
  location = google_cloudfunctions2_function.uploads.location
  service  = google_cloudfunctions2_function.uploads.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.gateway.email}"
}

resource "google_cloudfunctions2_function" "files" {
  name     = "files"
  location = var.region

  build_config {
    runtime     = "java17"
    entry_point = "dev.cirrus.functions.files.FilesFunction"
    source {
      storage_source {
        bucket = var.source_bucket
        object = "files-${var.source_version}.zip"
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.files.email
    available_memory                 = "256M"
    max_instance_count               = 20
    min_instance_count               = 0
    max_instance_request_concurrency = 40
    available_cpu                    = "1"
    timeout_seconds                  = 30
    ingress_settings                 = "ALLOW_ALL"
    # Memorystore has only a private address: reached through the connector, and nothing else is.
    vpc_connector                 = google_vpc_access_connector.cirrus.id
    vpc_connector_egress_settings = "PRIVATE_RANGES_ONLY"
    secret_environment_variables {
      key        = "CIRRUS_REDIS_AUTH"
      project_id = var.project_id
      secret     = google_secret_manager_secret.redis_auth.secret_id
      version    = "latest"
    }
    # Proof a request came through the load balancer (infra/edge.tf).
    secret_environment_variables {
      key        = "CIRRUS_EDGE_KEY"
      project_id = var.project_id
      secret     = google_secret_manager_secret.edge_key.secret_id
      version    = "latest"
    }
    environment_variables = merge(local.upload_env, local.http_start, local.front_door)
  }

  # A secret's version and the account's access to it must exist before a deploy names it.
  depends_on = [
    google_project_service.apis,
    google_secret_manager_secret_version.redis_auth,
    google_secret_manager_secret_iam_member.redis_auth_readers,
    google_secret_manager_secret_version.edge_key,
    google_secret_manager_secret_iam_member.edge_key_readers,
  ]
}

resource "google_cloud_run_service_iam_member" "files_invoker" {
  location = google_cloudfunctions2_function.files.location
  service  = google_cloudfunctions2_function.files.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.gateway.email}"
}

# Pub/Sub-triggered through Eventarc, which delivers each message as a CloudEvent and retries
# failures. Eventarc owns the push subscription; cloudbuild.yaml's "subscriptions" step gives it
# the backoff and the dead-letter policy (5 attempts) that the local stack uses.
resource "google_cloudfunctions2_function" "process_upload" {
  name     = "process-upload"
  location = var.region

  build_config {
    runtime     = "java17"
    entry_point = "dev.cirrus.functions.processupload.ProcessUploadFunction"
    source {
      storage_source {
        bucket = var.source_bucket
        object = "process-upload-${var.source_version}.zip"
      }
    }
  }

  service_config {
    service_account_email = google_service_account.process_upload.email
    # Images are decoded subsampled (a 100 MP baseline JPEG in a few MB of heap) and spooled to
    # /tmp, which is memory here: at most one largest upload's bytes at a time (SpoolBudget).
    # local/bench/memory, 4 concurrent 100 MiB images: peak RSS + spool 337 MiB of 512.
    available_memory                 = "512M"
    max_instance_count               = 20
    min_instance_count               = 0
    max_instance_request_concurrency = 4
    available_cpu                    = "1"
    timeout_seconds                  = 300
    ingress_settings                 = "ALLOW_INTERNAL_ONLY"
    # It changes quotas, so it evicts the user records cached in Memorystore (UserCache).
    vpc_connector                 = google_vpc_access_connector.cirrus.id
    vpc_connector_egress_settings = "PRIVATE_RANGES_ONLY"
    secret_environment_variables {
      key        = "CIRRUS_REDIS_AUTH"
      project_id = var.project_id
      secret     = google_secret_manager_secret.redis_auth.secret_id
      version    = "latest"
    }
    environment_variables = merge(local.upload_env, local.front_door)
  }

  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic          = google_pubsub_topic.topics["upload-finalized"].id
    retry_policy          = "RETRY_POLICY_RETRY"
    service_account_email = google_service_account.process_upload_trigger.email
  }

  # A secret's version and the account's access to it must exist before a deploy names it.
  depends_on = [
    google_project_service.apis,
    google_secret_manager_secret_version.redis_auth,
    google_secret_manager_secret_iam_member.redis_auth_readers,
  ]
}

# Only its trigger's account may invoke it.
resource "google_cloud_run_service_iam_member" "process_upload_invoker" {
  location = google_cloudfunctions2_function.process_upload.location
  service  = google_cloudfunctions2_function.process_upload.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.process_upload_trigger.email}"
}

resource "google_cloudfunctions2_function" "notifications" {
  name     = "notifications"
  location = var.region

  build_config {
    runtime     = "java17"
    entry_point = "dev.cirrus.functions.notifications.NotificationsFunction"
    source {
      storage_source {
        bucket = var.source_bucket
        object = "notifications-${var.source_version}.zip"
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.notifications.email
    available_memory                 = "256M"
    max_instance_count               = 20
    min_instance_count               = 0
    max_instance_request_concurrency = 40
    available_cpu                    = "1"
    timeout_seconds                  = 30
    ingress_settings                 = "ALLOW_ALL"
    # Memorystore has only a private address: reached through the connector, and nothing else is.
    vpc_connector                 = google_vpc_access_connector.cirrus.id
    vpc_connector_egress_settings = "PRIVATE_RANGES_ONLY"
    secret_environment_variables {
      key        = "CIRRUS_REDIS_AUTH"
      project_id = var.project_id
      secret     = google_secret_manager_secret.redis_auth.secret_id
      version    = "latest"
    }
    # Proof a request came through the load balancer (infra/edge.tf).
    secret_environment_variables {
      key        = "CIRRUS_EDGE_KEY"
      project_id = var.project_id
      secret     = google_secret_manager_secret.edge_key.secret_id
      version    = "latest"
    }
    environment_variables = merge(local.function_env, local.http_start, local.front_door)
  }

  # A secret's version and the account's access to it must exist before a deploy names it.
  depends_on = [
    google_project_service.apis,
    google_secret_manager_secret_version.redis_auth,
    google_secret_manager_secret_iam_member.redis_auth_readers,
    google_secret_manager_secret_version.edge_key,
    google_secret_manager_secret_iam_member.edge_key_readers,
  ]
}

resource "google_cloud_run_service_iam_member" "notifications_invoker" {
  location = google_cloudfunctions2_function.notifications.location
  service  = google_cloudfunctions2_function.notifications.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.gateway.email}"
}

# notify consumes two topics. A function has one event_trigger, so file-events comes through it
# and notification-requests through a second Eventarc trigger on the same service, as the same
# trigger account: the two deliver alike (CloudEvents, retried, dead-lettered by the
# subscriptions step of cloudbuild.yaml).
resource "google_cloudfunctions2_function" "notify" {
  name     = "notify"
  location = var.region

  build_config {
    runtime     = "java17"
    entry_point = "dev.cirrus.functions.notify.NotifyFunction"
    source {
      storage_source {
        bucket = var.source_bucket
        object = "notify-${var.source_version}.zip"
      }
    }
  }

  service_config {
    service_account_email = google_service_account.notify.email
    # A request to 10,000 recipients holds at most one batch of 500 in memory at a time.
    available_memory                 = "512M"
    max_instance_count               = 20
    min_instance_count               = 0
    max_instance_request_concurrency = 8
    available_cpu                    = "1"
    timeout_seconds                  = 540
    ingress_settings                 = "ALLOW_INTERNAL_ONLY"
    environment_variables            = local.function_env
  }

  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic          = google_pubsub_topic.topics["file-events"].id
    retry_policy          = "RETRY_POLICY_RETRY"
    service_account_email = google_service_account.notify_trigger.email
  }

  depends_on = [google_project_service.apis]
}

resource "google_eventarc_trigger" "notify_notification_requests" {
  name            = "notify-notification-requests"
  location        = var.region
  service_account = google_service_account.notify_trigger.email

  matching_criteria {
    attribute = "type"
    value     = "google.cloud.pubsub.topic.v1.messagePublished"
  }

  transport {
    pubsub {
      topic = google_pubsub_topic.topics["notification-requests"].id
    }
  }

  destination {
    cloud_run_service {
      service = google_cloudfunctions2_function.notify.name
      region  = var.region
    }
  }
}

resource "google_cloud_run_service_iam_member" "notify_invoker" {
  location = google_cloudfunctions2_function.notify.location
  service  = google_cloudfunctions2_function.notify.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.notify_trigger.email}"
}

# Records what Pub/Sub dead-lettered. Its own subscription retries but has no dead-letter topic
# (that would be a loop); the subscriptions step of cloudbuild.yaml leaves it so.
resource "google_cloudfunctions2_function" "dead_letters" {
  name     = "dead-letters"
  location = var.region

  build_config {
    runtime     = "java17"
    entry_point = "dev.cirrus.functions.deadletters.DeadLettersFunction"
    source {
      storage_source {
        bucket = var.source_bucket
        object = "dead-letters-${var.source_version}.zip"
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.dead_letters.email
    available_memory                 = "256M"
    max_instance_count               = 5
    min_instance_count               = 0
    max_instance_request_concurrency = 8
    available_cpu                    = "1"
    timeout_seconds                  = 60
    ingress_settings                 = "ALLOW_INTERNAL_ONLY"
    environment_variables            = local.function_env
  }

  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic          = google_pubsub_topic.topics["dead-letters"].id
    retry_policy          = "RETRY_POLICY_RETRY"
    service_account_email = google_service_account.dead_letters_trigger.email
  }

  depends_on = [google_project_service.apis]
}

resource "google_cloud_run_service_iam_member" "dead_letters_invoker" {
  location = google_cloudfunctions2_function.dead_letters.location
  service  = google_cloudfunctions2_function.dead_letters.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.dead_letters_trigger.email}"
}

# /v1/admin/*: dead letters listed and re-driven, for the admin role (checked by the function).
resource "google_cloudfunctions2_function" "admin" {
  name     = "admin"
  location = var.region

  build_config {
    runtime     = "java17"
    entry_point = "dev.cirrus.functions.admin.AdminFunction"
    source {
      storage_source {
        bucket = var.source_bucket
        object = "admin-${var.source_version}.zip"
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.admin.email
    available_memory                 = "256M"
    max_instance_count               = 5
    min_instance_count               = 0
    max_instance_request_concurrency = 20
    available_cpu                    = "1"
    timeout_seconds                  = 30
    ingress_settings                 = "ALLOW_ALL"
    # Memorystore has only a private address: reached through the connector, and nothing else is.
    vpc_connector                 = google_vpc_access_connector.cirrus.id
    vpc_connector_egress_settings = "PRIVATE_RANGES_ONLY"
    secret_environment_variables {
      key        = "CIRRUS_REDIS_AUTH"
      project_id = var.project_id
      secret     = google_secret_manager_secret.redis_auth.secret_id
      version    = "latest"
    }
    # Proof a request came through the load balancer (infra/edge.tf).
    secret_environment_variables {
      key        = "CIRRUS_EDGE_KEY"
      project_id = var.project_id
      secret     = google_secret_manager_secret.edge_key.secret_id
      version    = "latest"
    }
    environment_variables = merge(local.function_env, local.http_start, local.front_door)
  }

  # A secret's version and the account's access to it must exist before a deploy names it.
  depends_on = [
    google_project_service.apis,
    google_secret_manager_secret_version.redis_auth,
    google_secret_manager_secret_iam_member.redis_auth_readers,
    google_secret_manager_secret_version.edge_key,
    google_secret_manager_secret_iam_member.edge_key_readers,
  ]
}

resource "google_cloud_run_service_iam_member" "admin_invoker" {
  location = google_cloudfunctions2_function.admin.location
  service  = google_cloudfunctions2_function.admin.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.gateway.email}"
}

# One bounded sweep per maintenance-tick (infra/scheduler.tf publishes one every five minutes).
resource "google_cloudfunctions2_function" "sweeper" {
  name     = "sweeper"
  location = var.region

  build_config {
    runtime     = "java17"
    entry_point = "dev.cirrus.functions.sweeper.SweeperFunction"
    source {
      storage_source {
        bucket = var.source_bucket
        object = "sweeper-${var.source_version}.zip"
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.sweeper.email
    available_memory                 = "256M"
    max_instance_count               = 2
    min_instance_count               = 0
    max_instance_request_concurrency = 1
    available_cpu                    = "1"
    timeout_seconds                  = 240
    ingress_settings                 = "ALLOW_INTERNAL_ONLY"
    # Its quota repairs evict the user records cached in Memorystore (UserCache).
    vpc_connector                 = google_vpc_access_connector.cirrus.id
    vpc_connector_egress_settings = "PRIVATE_RANGES_ONLY"
    secret_environment_variables {
      key        = "CIRRUS_REDIS_AUTH"
      project_id = var.project_id
      secret     = google_secret_manager_secret.redis_auth.secret_id
      version    = "latest"
    }
    environment_variables = merge(local.upload_env, local.front_door)
  }

  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic          = google_pubsub_topic.topics["maintenance-tick"].id
    retry_policy          = "RETRY_POLICY_RETRY"
    service_account_email = google_service_account.sweeper_trigger.email
  }

  # A secret's version and the account's access to it must exist before a deploy names it.
  depends_on = [
    google_project_service.apis,
    google_secret_manager_secret_version.redis_auth,
    google_secret_manager_secret_iam_member.redis_auth_readers,
  ]
}

resource "google_cloud_run_service_iam_member" "sweeper_invoker" {
  location = google_cloudfunctions2_function.sweeper.location
  service  = google_cloudfunctions2_function.sweeper.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.sweeper_trigger.email}"
}

# One bounded step of an account deletion per message on account-deletions; it queues the next.
resource "google_cloudfunctions2_function" "account_deletion" {
  name     = "account-deletion"
  location = var.region

  build_config {
    runtime     = "java17"
    entry_point = "dev.cirrus.functions.accountdeletion.AccountDeletionFunction"
    source {
      storage_source {
        bucket = var.source_bucket
        object = "account-deletion-${var.source_version}.zip"
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.account_deletion.email
    available_memory                 = "256M"
    max_instance_count               = 2
    min_instance_count               = 0
    max_instance_request_concurrency = 1
    available_cpu                    = "1"
    timeout_seconds                  = 240
    ingress_settings                 = "ALLOW_INTERNAL_ONLY"
    # It evicts the deleted user's record cached in Memorystore (UserCache).
    vpc_connector                 = google_vpc_access_connector.cirrus.id
    vpc_connector_egress_settings = "PRIVATE_RANGES_ONLY"
    secret_environment_variables {
      key        = "CIRRUS_REDIS_AUTH"
      project_id = var.project_id
      secret     = google_secret_manager_secret.redis_auth.secret_id
      version    = "latest"
    }
    environment_variables = merge(local.upload_env, local.front_door)
  }

  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic          = google_pubsub_topic.topics["account-deletions"].id
    retry_policy          = "RETRY_POLICY_RETRY"
    service_account_email = google_service_account.account_deletion_trigger.email
  }

  depends_on = [
    google_project_service.apis,
    google_secret_manager_secret_version.redis_auth,
    google_secret_manager_secret_iam_member.redis_auth_readers,
  ]
}

resource "google_cloud_run_service_iam_member" "account_deletion_invoker" {
  location = google_cloudfunctions2_function.account_deletion.location
  service  = google_cloudfunctions2_function.account_deletion.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.account_deletion_trigger.email}"
}

# One bounded step of a data export per message on account-exports; it queues the next. A step
# packs up to 200 originals or 256 MiB into one part: 540 s, the most an event function may take,
# leaves room for a part of the largest files at Cloud Storage's per-stream rates.
resource "google_cloudfunctions2_function" "account_export" {
  name     = "account-export"
  location = var.region

  build_config {
    runtime     = "java17"
    entry_point = "dev.cirrus.functions.accountexport.AccountExportFunction"
    source {
      storage_source {
        bucket = var.source_bucket
        object = "account-export-${var.source_version}.zip"
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.account_export.email
    available_memory                 = "512M"
    max_instance_count               = 3
    min_instance_count               = 0
    max_instance_request_concurrency = 1
    available_cpu                    = "1"
    timeout_seconds                  = 540
    ingress_settings                 = "ALLOW_INTERNAL_ONLY"
    environment_variables            = local.upload_env
  }

  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic          = google_pubsub_topic.topics["account-exports"].id
    retry_policy          = "RETRY_POLICY_RETRY"
    service_account_email = google_service_account.account_export_trigger.email
  }

  depends_on = [google_project_service.apis]
}

resource "google_cloud_run_service_iam_member" "account_export_invoker" {
  location = google_cloudfunctions2_function.account_export.location
  service  = google_cloudfunctions2_function.account_export.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.account_export_trigger.email}"
}
