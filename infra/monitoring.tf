# What an operator is told, and where to look: log-based metrics from the functions' structured
# lines (shared/wire/.../log/StructuredLogger: labels under logging.googleapis.com/labels become
# the entry's labels), the built-in metrics of Cloud Run and Pub/Sub, alert policies that each name
# their runbook (docs/operations.md), SLOs for the API with burn-rate alerts, and a dashboard.

variable "notification_channels" {
  description = "Cloud Monitoring notification channel ids (projects/<p>/notificationChannels/<n>) every alert goes to; made outside Terraform, since they hold people's addresses."
  type        = list(string)
  default     = []
}

variable "runbook_base_url" {
  description = "Where docs/operations.md is read, e.g. the repository's page for it; each alert links to its section."
  type        = string
  default     = "docs/operations.md"
}

locals {
  http_functions = ["users", "uploads", "files", "notifications", "admin"]
  # Each function's max_instance_count (infra/functions.tf), for the instances alert.
  max_instances = {
    users            = google_cloudfunctions2_function.users.service_config[0].max_instance_count
    uploads          = google_cloudfunctions2_function.uploads.service_config[0].max_instance_count
    files            = google_cloudfunctions2_function.files.service_config[0].max_instance_count
    notifications    = google_cloudfunctions2_function.notifications.service_config[0].max_instance_count
    admin            = google_cloudfunctions2_function.admin.service_config[0].max_instance_count
    process-upload   = google_cloudfunctions2_function.process_upload.service_config[0].max_instance_count
    notify           = google_cloudfunctions2_function.notify.service_config[0].max_instance_count
    dead-letters     = google_cloudfunctions2_function.dead_letters.service_config[0].max_instance_count
    sweeper          = google_cloudfunctions2_function.sweeper.service_config[0].max_instance_count
    account-deletion = google_cloudfunctions2_function.account_deletion.service_config[0].max_instance_count
    account-export   = google_cloudfunctions2_function.account_export.service_config[0].max_instance_count
    webhook-delivery = google_cloudfunctions2_function.webhook_delivery.service_config[0].max_instance_count
  }
  http_services = "resource.labels.service_name = one_of(\"${join("\", \"", local.http_functions)}\")"
}

# --- Log-based metrics ---------------------------------------------------------------------------

# process-upload's one line per event carries outcome=READY|REJECTED|DUPLICATE|EXPIRED|ORPHAN|...
resource "google_logging_metric" "upload_outcomes" {
  name   = "cirrus/upload_outcomes"
  filter = "resource.type=\"cloud_run_revision\" AND labels.function=\"process-upload\" AND labels.outcome:*"
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    labels {
      key         = "outcome"
      description = "what handling the finalize event came to"
    }
    labels {
      key         = "reason"
      description = "why a REJECTED upload was refused (checksum-mismatch, not-an-image, ...)"
    }
  }
  label_extractors = {
    outcome = "EXTRACT(labels.outcome)"
    reason  = "EXTRACT(labels.reason)"
  }
}

# Upload -> ready: from the finalize notification's publish (the last byte) to the file ready,
# the same lines' "... 1204 ms after publish".
resource "google_logging_metric" "upload_ready_ms" {
  name   = "cirrus/upload_ready_ms"
  filter = "resource.type=\"cloud_run_revision\" AND labels.function=\"process-upload\" AND labels.outcome=\"READY\""
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "ms"
  }
  value_extractor = "REGEXP_EXTRACT(jsonPayload.message, \" ([0-9]+) ms after publish\")"
  bucket_options {
    exponential_buckets {
      num_finite_buckets = 40
      growth_factor      = 1.4
      scale              = 10
    }
  }
}

# The same lines say how long the work took ("... READY in 812 ms, waited 40 ms"): verifying,
# describing, thumbnailing, promoting and announcing one upload.
resource "google_logging_metric" "upload_processing_ms" {
  name   = "cirrus/upload_processing_ms"
  filter = "resource.type=\"cloud_run_revision\" AND labels.function=\"process-upload\" AND labels.outcome=\"READY\""
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "ms"
  }
  value_extractor = "REGEXP_EXTRACT(jsonPayload.message, \" in ([0-9]+) ms\")"
  bucket_options {
    exponential_buckets {
      num_finite_buckets = 40
      growth_factor      = 1.4
      scale              = 10
    }
  }
}

# notify's line per request sums its batches: "... pushed=3, pruned=1, failed=0 ...".
resource "google_logging_metric" "pushes" {
  for_each = toset(["pushed", "pruned", "failed"])
  name     = "cirrus/pushes_${each.value}"
  filter   = "resource.type=\"cloud_run_revision\" AND labels.function=\"notify\" AND jsonPayload.message=~\"${each.value}=[0-9]+\""
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
  }
  value_extractor = "REGEXP_EXTRACT(jsonPayload.message, \"${each.value}=([0-9]+)\")"
  bucket_options {
    explicit_buckets {
      bounds = [0, 1, 10, 100, 1000, 10000]
    }
  }
}

# The dead-letters function warns once per message Pub/Sub gave up on.
resource "google_logging_metric" "dead_letters" {
  name   = "cirrus/dead_letters"
  filter = "resource.type=\"cloud_run_revision\" AND labels.function=\"dead-letters\" AND severity=WARNING AND jsonPayload.message=~\": dead letter \""
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
  }
}

# Requests the front door refused for their rate (HttpApi's access line, status 429).
resource "google_logging_metric" "rate_limited" {
  name   = "cirrus/rate_limited"
  filter = "resource.type=\"cloud_run_revision\" AND httpRequest.status=429 AND labels.function:*"
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    labels {
      key = "function"
    }
  }
  label_extractors = {
    function = "EXTRACT(labels.function)"
  }
}

# Redis unreachable: the limits and the user cache let requests through and say so.
resource "google_logging_metric" "front_door_failed_open" {
  name   = "cirrus/front_door_failed_open"
  filter = "resource.type=\"cloud_run_revision\" AND (labels.rateLimit=\"failed-open\" OR labels.userCache=\"failed-open\")"
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
  }
}

# --- Alerts --------------------------------------------------------------------------------------

resource "google_monitoring_alert_policy" "dead_letter" {
  display_name          = "Cirrus: a message was dead-lettered"
  combiner              = "OR"
  notification_channels = var.notification_channels
  conditions {
    display_name = "any dead letter"
    condition_threshold {
      filter          = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.dead_letters.name}\" AND resource.type=\"cloud_run_revision\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"
      aggregations {
        alignment_period   = "60s"
        per_series_aligner = "ALIGN_COUNT"
      }
    }
  }
  documentation {
    mime_type = "text/markdown"
    content   = "Pub/Sub gave up on a message after 5 attempts; it is in deadLetters/. Runbook: ${var.runbook_base_url}#dead-letter"
  }
}

# Every event function's subscription is Eventarc's, named eventarc-<region>-<trigger>-sub-<n>;
# one condition over all of them, never reduced across series, raises one incident per
# subscription whose oldest message waits longer than 5 minutes.
resource "google_monitoring_alert_policy" "subscription_backlog" {
  display_name          = "Cirrus: a subscription's oldest message is older than 5 minutes"
  combiner              = "OR"
  notification_channels = var.notification_channels
  conditions {
    display_name = "oldest unacked message age > 300 s"
    condition_threshold {
      filter          = "metric.type=\"pubsub.googleapis.com/subscription/oldest_unacked_message_age\" AND resource.type=\"pubsub_subscription\" AND resource.labels.subscription_id=starts_with(\"eventarc-\")"
      comparison      = "COMPARISON_GT"
      threshold_value = 300
      duration        = "120s"
      aggregations {
        alignment_period   = "60s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }
  documentation {
    mime_type = "text/markdown"
    content   = "A consumer is failing or too slow; its messages wait and will be dead-lettered. Runbook: ${var.runbook_base_url}#subscription-backlog"
  }
}

resource "google_monitoring_alert_policy" "api_errors" {
  display_name          = "Cirrus: more than 2% of API requests fail with a 5xx"
  combiner              = "OR"
  notification_channels = var.notification_channels
  conditions {
    display_name = "5xx ratio > 2% for 5 minutes"
    condition_threshold {
      filter             = "metric.type=\"run.googleapis.com/request_count\" AND resource.type=\"cloud_run_revision\" AND ${local.http_services} AND metric.labels.response_code_class=\"5xx\""
      denominator_filter = "metric.type=\"run.googleapis.com/request_count\" AND resource.type=\"cloud_run_revision\" AND ${local.http_services}"
      comparison         = "COMPARISON_GT"
      threshold_value    = 0.02
      duration           = "300s"
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_RATE"
        cross_series_reducer = "REDUCE_SUM"
      }
      denominator_aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_RATE"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }
  documentation {
    mime_type = "text/markdown"
    content   = "The API answers with server errors. Runbook: ${var.runbook_base_url}#api-errors"
  }
}

resource "google_monitoring_alert_policy" "upload_processing_slow" {
  display_name          = "Cirrus: upload -> ready p95 is over 10 seconds"
  combiner              = "OR"
  notification_channels = var.notification_channels
  conditions {
    display_name = "p95 from the last byte to ready > 10 s for 10 minutes"
    condition_threshold {
      filter          = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.upload_ready_ms.name}\" AND resource.type=\"cloud_run_revision\""
      comparison      = "COMPARISON_GT"
      threshold_value = 10000
      duration        = "600s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_PERCENTILE_95"
      }
    }
  }
  documentation {
    mime_type = "text/markdown"
    content   = "Uploads take long to become ready. Runbook: ${var.runbook_base_url}#upload-processing-slow"
  }
}

resource "google_monitoring_alert_policy" "instances_near_max" {
  for_each              = local.max_instances
  display_name          = "Cirrus: ${each.key} runs at 80% of its instance limit"
  combiner              = "OR"
  notification_channels = var.notification_channels
  conditions {
    display_name = "${each.key} instances >= 80% of ${each.value}"
    condition_threshold {
      filter          = "metric.type=\"run.googleapis.com/container/instance_count\" AND resource.type=\"cloud_run_revision\" AND resource.labels.service_name=\"${each.key}\""
      comparison      = "COMPARISON_GT"
      threshold_value = floor(each.value * 0.8)
      duration        = "300s"
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_MAX"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }
  documentation {
    mime_type = "text/markdown"
    content   = "Requests will soon queue or be refused (429 from Cloud Run). Runbook: ${var.runbook_base_url}#instances-near-max"
  }
}

resource "google_monitoring_alert_policy" "front_door_failed_open" {
  display_name          = "Cirrus: rate limits and the user cache fail open (Redis)"
  combiner              = "OR"
  notification_channels = var.notification_channels
  conditions {
    display_name = "failed-open lines for 5 minutes"
    condition_threshold {
      filter          = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.front_door_failed_open.name}\" AND resource.type=\"cloud_run_revision\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "300s"
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_COUNT"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }
  documentation {
    mime_type = "text/markdown"
    content   = "Memorystore cannot be reached: nothing limits request rates. Runbook: ${var.runbook_base_url}#front-door-failed-open"
  }
}

# --- SLOs ----------------------------------------------------------------------------------------

resource "google_monitoring_custom_service" "api" {
  service_id   = "cirrus-api"
  display_name = "Cirrus API (the HTTP functions)"
}

# 99.5% of requests over 28 days answer without a 5xx.
resource "google_monitoring_slo" "availability" {
  service             = google_monitoring_custom_service.api.service_id
  slo_id              = "availability"
  display_name        = "99.5% of API requests succeed"
  goal                = 0.995
  rolling_period_days = 28
  request_based_sli {
    good_total_ratio {
      bad_service_filter   = "metric.type=\"run.googleapis.com/request_count\" resource.type=\"cloud_run_revision\" ${local.http_services} metric.labels.response_code_class=\"5xx\""
      total_service_filter = "metric.type=\"run.googleapis.com/request_count\" resource.type=\"cloud_run_revision\" ${local.http_services}"
    }
  }
}

# 95% of requests over 28 days answer within 500 ms at the function.
resource "google_monitoring_slo" "latency" {
  service             = google_monitoring_custom_service.api.service_id
  slo_id              = "latency"
  display_name        = "95% of API requests within 500 ms"
  goal                = 0.95
  rolling_period_days = 28
  request_based_sli {
    distribution_cut {
      distribution_filter = "metric.type=\"run.googleapis.com/request_latencies\" resource.type=\"cloud_run_revision\" ${local.http_services}"
      range {
        max = 500
      }
    }
  }
}

# Google's SRE workbook's pair: a fast burn (2% of a 28-day budget in an hour, 14.4x) pages, a
# slow one (10% in six hours, 6x) tickets. The alert fires on either.
resource "google_monitoring_alert_policy" "slo_burn" {
  for_each = {
    availability = google_monitoring_slo.availability.id
    latency      = google_monitoring_slo.latency.id
  }
  display_name          = "Cirrus: the ${each.key} SLO's error budget burns too fast"
  combiner              = "OR"
  notification_channels = var.notification_channels
  conditions {
    display_name = "burn rate over 1 h > 14.4"
    condition_threshold {
      filter          = "select_slo_burn_rate(\"${each.value}\", \"3600s\")"
      comparison      = "COMPARISON_GT"
      threshold_value = 14.4
      duration        = "0s"
    }
  }
  conditions {
    display_name = "burn rate over 6 h > 6"
    condition_threshold {
      filter          = "select_slo_burn_rate(\"${each.value}\", \"21600s\")"
      comparison      = "COMPARISON_GT"
      threshold_value = 6
      duration        = "0s"
    }
  }
  documentation {
    mime_type = "text/markdown"
    content   = "At this rate the ${each.key} SLO is missed before its window ends. Runbook: ${var.runbook_base_url}#slo-burn"
  }
}

# --- Dashboard -----------------------------------------------------------------------------------

resource "google_monitoring_dashboard" "cirrus" {
  dashboard_json = jsonencode({
    displayName = "Cirrus"
    gridLayout = {
      columns = 2
      widgets = [
        for w in [
          ["API requests by function", "metric.type=\"run.googleapis.com/request_count\" resource.type=\"cloud_run_revision\" ${local.http_services}", "ALIGN_RATE", "REDUCE_SUM", ["resource.label.service_name"]],
          ["API 5xx", "metric.type=\"run.googleapis.com/request_count\" resource.type=\"cloud_run_revision\" metric.label.response_code_class=\"5xx\"", "ALIGN_RATE", "REDUCE_SUM", ["resource.label.service_name"]],
          ["API latency p95", "metric.type=\"run.googleapis.com/request_latencies\" resource.type=\"cloud_run_revision\" ${local.http_services}", "ALIGN_DELTA", "REDUCE_PERCENTILE_95", ["resource.label.service_name"]],
          ["Upload outcomes", "metric.type=\"logging.googleapis.com/user/${google_logging_metric.upload_outcomes.name}\" resource.type=\"cloud_run_revision\"", "ALIGN_RATE", "REDUCE_SUM", ["metric.label.outcome"]],
          ["Upload -> ready p95 (ms)", "metric.type=\"logging.googleapis.com/user/${google_logging_metric.upload_ready_ms.name}\" resource.type=\"cloud_run_revision\"", "ALIGN_DELTA", "REDUCE_PERCENTILE_95", []],
          ["Upload processing p95 (ms)", "metric.type=\"logging.googleapis.com/user/${google_logging_metric.upload_processing_ms.name}\" resource.type=\"cloud_run_revision\"", "ALIGN_DELTA", "REDUCE_PERCENTILE_95", []],
          ["Oldest unacked message (s)", "metric.type=\"pubsub.googleapis.com/subscription/oldest_unacked_message_age\" resource.type=\"pubsub_subscription\"", "ALIGN_MAX", "REDUCE_MAX", ["resource.label.subscription_id"]],
          ["Dead letters", "metric.type=\"logging.googleapis.com/user/${google_logging_metric.dead_letters.name}\" resource.type=\"cloud_run_revision\"", "ALIGN_COUNT", "REDUCE_SUM", []],
          ["Pushes sent", "metric.type=\"logging.googleapis.com/user/${google_logging_metric.pushes["pushed"].name}\" resource.type=\"cloud_run_revision\"", "ALIGN_DELTA", "REDUCE_SUM", []],
          ["Rate-limited requests", "metric.type=\"logging.googleapis.com/user/${google_logging_metric.rate_limited.name}\" resource.type=\"cloud_run_revision\"", "ALIGN_RATE", "REDUCE_SUM", ["metric.label.function"]],
          ["Instances by function", "metric.type=\"run.googleapis.com/container/instance_count\" resource.type=\"cloud_run_revision\"", "ALIGN_MAX", "REDUCE_SUM", ["resource.label.service_name"]],
          ] : {
          title = w[0]
          xyChart = {
            dataSets = [{
              plotType = "LINE"
              timeSeriesQuery = {
                timeSeriesFilter = {
                  filter = w[1]
                  aggregation = {
                    alignmentPeriod    = "60s"
                    perSeriesAligner   = w[2]
                    crossSeriesReducer = w[3]
                    groupByFields      = w[4]
                  }
                }
              }
            }]
          }
        }
      ]
    }
  })
}
