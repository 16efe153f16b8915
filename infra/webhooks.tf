# Webhooks out (docs/webhooks.md): webhook-delivery fans file-events and notification-requests out
# into deliveries and sends them from webhook-deliveries; a Cloud Scheduler tick every minute
# sends the retries that are due. Its traffic leaves through a connector of its own and Cloud NAT
# with one static address, so receivers can allowlist Cirrus.

resource "google_compute_address" "webhook_egress" {
  name         = "cirrus-webhook-egress"
  region       = var.region
  address_type = "EXTERNAL"
  depends_on   = [google_project_service.apis]
}

resource "google_compute_router" "webhooks" {
  name       = "cirrus-webhooks"
  region     = var.region
  network    = google_compute_network.cirrus.id
  depends_on = [google_project_service.apis]
}

resource "google_compute_router_nat" "webhooks" {
  name                               = "cirrus-webhooks"
  router                             = google_compute_router.webhooks.name
  region                             = var.region
  nat_ip_allocate_option             = "MANUAL_ONLY"
  nat_ips                            = [google_compute_address.webhook_egress.self_link]
  source_subnetwork_ip_ranges_to_nat = "ALL_SUBNETWORKS_ALL_IP_RANGES"
  log_config {
    enable = true
    filter = "ERRORS_ONLY"
  }
}

# A connector of its own: every packet of webhook-delivery goes through it (ALL_TRAFFIC), and the
# firewall below keeps it off private ranges whatever the code decides. The code refuses them
# first (EgressAddresses); this is the second line.
resource "google_vpc_access_connector" "webhooks" {
  name          = "cirrus-webhooks"
  region        = var.region
  network       = google_compute_network.cirrus.name
  ip_cidr_range = "10.8.0.16/28"
  min_instances = 2
  max_instances = 3
  depends_on    = [google_project_service.apis]
}

resource "google_compute_firewall" "webhooks_no_private_egress" {
  name               = "cirrus-webhooks-no-private-egress"
  network            = google_compute_network.cirrus.name
  direction          = "EGRESS"
  priority           = 900
  target_tags        = ["vpc-connector-${var.region}-cirrus-webhooks"]
  destination_ranges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16"]
  deny {
    protocol = "all"
  }
}

resource "google_service_account" "webhook_delivery" {
  account_id   = "fn-webhook-delivery"
  display_name = "Cirrus function: webhook-delivery"
}

# Reads endpoints, writes deliveries and endpoints' health.
resource "google_project_iam_member" "webhook_delivery_firestore" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.webhook_delivery.email}"
}

# Queues its deliveries; tells the owner of an endpoint it disabled.
resource "google_pubsub_topic_iam_member" "webhook_delivery_publishes" {
  for_each = toset(["webhook-deliveries", "notification-requests"])
  topic    = google_pubsub_topic.topics[each.key].id
  role     = "roles/pubsub.publisher"
  member   = "serviceAccount:${google_service_account.webhook_delivery.email}"
}

# POST /v1/webhooks/{id}/deliveries/{deliveryId}:redeliver queues a delivery.
resource "google_pubsub_topic_iam_member" "users_redelivers_webhooks" {
  topic  = google_pubsub_topic.topics["webhook-deliveries"].id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${google_service_account.users.email}"
}

resource "google_service_account" "webhook_delivery_trigger" {
  account_id   = "trigger-webhook-delivery"
  display_name = "Cirrus trigger: webhook topics to webhook-delivery"
}

resource "google_project_iam_member" "webhook_delivery_trigger_receiver" {
  project = var.project_id
  role    = "roles/eventarc.eventReceiver"
  member  = "serviceAccount:${google_service_account.webhook_delivery_trigger.email}"
}

# One delivery per message, sent within 10 s; concurrency 8, as each waits on a receiver.
resource "google_cloudfunctions2_function" "webhook_delivery" {
  name     = "webhook-delivery"
  location = var.region

  build_config {
    runtime     = "java17"
    entry_point = "dev.cirrus.functions.webhookdelivery.WebhookDeliveryFunction"
    source {
      storage_source {
        bucket = var.source_bucket
        object = "webhook-delivery-${var.source_version}.zip"
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.webhook_delivery.email
    available_memory                 = "512M"
    max_instance_count               = 10
    min_instance_count               = 0
    max_instance_request_concurrency = 8
    available_cpu                    = "1"
    timeout_seconds                  = 60
    ingress_settings                 = "ALLOW_INTERNAL_ONLY"
    environment_variables            = local.function_env
    vpc_connector                    = google_vpc_access_connector.webhooks.id
    vpc_connector_egress_settings    = "ALL_TRAFFIC"
  }

  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic          = google_pubsub_topic.topics["webhook-deliveries"].id
    retry_policy          = "RETRY_POLICY_RETRY"
    service_account_email = google_service_account.webhook_delivery_trigger.email
  }

  depends_on = [google_project_service.apis]
}

# file-events and notification-requests reach it through triggers of their own, as for notify.
resource "google_eventarc_trigger" "webhook_delivery_file_events" {
  name            = "webhook-delivery-file-events"
  location        = var.region
  service_account = google_service_account.webhook_delivery_trigger.email

  matching_criteria {
    attribute = "type"
    value     = "google.cloud.pubsub.topic.v1.messagePublished"
  }

  transport {
    pubsub {
      topic = google_pubsub_topic.topics["file-events"].id
    }
  }

  destination {
    cloud_run_service {
      service = google_cloudfunctions2_function.webhook_delivery.name
      region  = var.region
    }
  }
}

resource "google_eventarc_trigger" "webhook_delivery_notification_requests" {
  name            = "webhook-delivery-notification-requests"
  location        = var.region
  service_account = google_service_account.webhook_delivery_trigger.email

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
      service = google_cloudfunctions2_function.webhook_delivery.name
      region  = var.region
    }
  }
}

resource "google_cloud_run_service_iam_member" "webhook_delivery_invoker" {
  location = google_cloudfunctions2_function.webhook_delivery.location
  service  = google_cloudfunctions2_function.webhook_delivery.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.webhook_delivery_trigger.email}"
}

# The retries' clock: {"due": true} on webhook-deliveries every minute.
resource "google_cloud_scheduler_job" "webhook_tick" {
  name      = "webhook-tick"
  region    = var.region
  schedule  = "* * * * *"
  time_zone = "Etc/UTC"

  pubsub_target {
    topic_name = google_pubsub_topic.topics["webhook-deliveries"].id
    data       = base64encode("{\"due\":true}")
  }

  depends_on = [google_project_service.apis]
}

resource "google_pubsub_topic_iam_member" "scheduler_publishes_webhook_ticks" {
  topic  = google_pubsub_topic.topics["webhook-deliveries"].id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:service-${data.google_project.current.number}@gcp-sa-cloudscheduler.iam.gserviceaccount.com"
}

# GET /v1/webhooks: an owner's endpoints, newest first.
resource "google_firestore_index" "webhooks_by_owner" {
  collection = "webhooks"
  fields {
    field_path = "owner"
    order      = "ASCENDING"
  }
  fields {
    field_path = "createdAt"
    order      = "DESCENDING"
  }
  fields {
    field_path = "__name__"
    order      = "DESCENDING"
  }
  depends_on = [google_firestore_database.default]
}

# GET /v1/webhooks/{id}/deliveries: an endpoint's deliveries, newest first.
resource "google_firestore_index" "webhook_deliveries_by_endpoint" {
  collection = "webhookDeliveries"
  fields {
    field_path = "endpointId"
    order      = "ASCENDING"
  }
  fields {
    field_path = "createdAt"
    order      = "DESCENDING"
  }
  fields {
    field_path = "id"
    order      = "DESCENDING"
  }
  depends_on = [google_firestore_database.default]
}

output "webhook_egress_address" {
  description = "The one address webhooks come from: receivers may allowlist it."
  value       = google_compute_address.webhook_egress.address
}
