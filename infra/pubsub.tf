# The topics of docs/architecture.md. Push subscriptions arrive with the event functions that consume
# them, each with retry backoff and a dead-letter policy of five attempts.

locals {
  topics = ["upload-finalized", "file-events", "notification-requests", "maintenance-tick", "dead-letters", "account-deletions", "account-exports", "webhook-deliveries"]
}

resource "google_pubsub_topic" "topics" {
  for_each                   = toset(local.topics)
  name                       = each.value
  message_retention_duration = "604800s"
  depends_on                 = [google_project_service.apis]
}
