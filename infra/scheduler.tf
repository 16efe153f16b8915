# The sweeper's clock: {} on maintenance-tick every five minutes. Cloud Scheduler publishes as
# its service agent, which may publish to this topic and no other.
resource "google_cloud_scheduler_job" "maintenance_tick" {
  name      = "maintenance-tick"
  region    = var.region
  schedule  = "*/5 * * * *"
  time_zone = "Etc/UTC"

  pubsub_target {
    topic_name = google_pubsub_topic.topics["maintenance-tick"].id
    data       = base64encode("{}")
  }

  depends_on = [google_project_service.apis]
}

resource "google_pubsub_topic_iam_member" "scheduler_publishes_ticks" {
  topic  = google_pubsub_topic.topics["maintenance-tick"].id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:service-${data.google_project.current.number}@gcp-sa-cloudscheduler.iam.gserviceaccount.com"
}
