# The edge: an external HTTPS load balancer with a Cloud Armor policy in front of API Gateway, so
# abuse is refused at Google's edge, before it costs a gateway request or a function instance.
# The gateway is reached through a serverless network endpoint group (API Gateway as a serverless
# NEG backend is in Preview, hence google-beta). Apps use https://<var.api_domain>.

variable "api_domain" {
  description = "The API's public name, e.g. api.example.com, with a DNS A record pointing at the output edge_address; the load balancer's Google-managed certificate is issued for it."
  type        = string
  default     = "api.example.invalid"
}

variable "edge_requests_per_minute" {
  description = "Requests one client address may make a minute at the edge before Cloud Armor answers 429; above the per-address budgets the functions apply (HttpApi), so it only stops floods."
  type        = number
  default     = 1200
  validation {
    condition     = var.edge_requests_per_minute >= 60
    error_message = "edge_requests_per_minute must be at least 60."
  }
}

resource "google_compute_region_network_endpoint_group" "gateway" {
  provider              = google-beta
  name                  = "cirrus-gateway"
  region                = var.region
  network_endpoint_type = "SERVERLESS"
  serverless_deployment {
    platform = "apigateway.googleapis.com"
    resource = google_api_gateway_gateway.cirrus.gateway_id
  }
}

resource "google_compute_security_policy" "edge" {
  name        = "cirrus-edge"
  description = "Cloud Armor in front of the Cirrus API"

  # Layer 7 DDoS: Cloud Armor learns the normal traffic and proposes rules against floods.
  adaptive_protection_config {
    layer_7_ddos_defense_config {
      enable = true
    }
  }

  # Google's preconfigured WAF rules at sensitivity 1, the level with the fewest false positives:
  # the API takes small JSON bodies and ids in paths, so anything that looks like SQL injection,
  # cross-site scripting, file inclusion, command execution, a scanner or a protocol attack is not
  # a legitimate client.
  dynamic "rule" {
    for_each = {
      1000 = "sqli-v33-stable"
      1001 = "xss-v33-stable"
      1002 = "lfi-v33-stable"
      1003 = "rfi-v33-stable"
      1004 = "rce-v33-stable"
      1005 = "scannerdetection-v33-stable"
      1006 = "protocolattack-v33-stable"
      1007 = "sessionfixation-v33-stable"
    }
    content {
      priority = rule.key
      action   = "deny(403)"
      match {
        expr {
          expression = "evaluatePreconfiguredWaf('${rule.value}', {'sensitivity': 1})"
        }
      }
      description = "preconfigured WAF: ${rule.value}"
    }
  }

  # Request size: API bodies are JSON of at most 64 KiB (CIRRUS_MAX_REQUEST_BYTES); the bytes of
  # files go to Cloud Storage sessions, never through here. A Content-Length of six digits or more
  # (100,000 bytes and up) is refused before it is read. Paths and queries past 2 KiB are no
  # request the API defines.
  rule {
    priority    = 900
    action      = "deny(413)"
    description = "bodies over 99,999 bytes"
    match {
      expr {
        expression = "has(request.headers['content-length']) && request.headers['content-length'].size() > 5"
      }
    }
  }

  rule {
    priority    = 901
    action      = "deny(414)"
    description = "paths and queries over 2 KiB"
    match {
      expr {
        expression = "request.path.size() + request.query.size() > 2048"
      }
    }
  }

  # One address: at most var.edge_requests_per_minute a minute, then 429 for the rest of the
  # minute. Many phones share an address behind carrier NAT, so this sits far above one user's
  # budget (HttpApi limits users and addresses per route class in Redis); it stops floods.
  rule {
    priority    = 2000
    action      = "throttle"
    description = "per-address throttle"
    match {
      versioned_expr = "SRC_IPS_V1"
      config {
        src_ip_ranges = ["*"]
      }
    }
    rate_limit_options {
      conform_action = "allow"
      exceed_action  = "deny(429)"
      enforce_on_key = "IP"
      rate_limit_threshold {
        count        = var.edge_requests_per_minute
        interval_sec = 60
      }
    }
  }

  rule {
    priority    = 2147483647
    action      = "allow"
    description = "everything the rules above let through"
    match {
      versioned_expr = "SRC_IPS_V1"
      config {
        src_ip_ranges = ["*"]
      }
    }
  }
}

resource "google_compute_backend_service" "api" {
  provider              = google-beta
  name                  = "cirrus-api"
  protocol              = "HTTPS"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  security_policy       = google_compute_security_policy.edge.id
  backend {
    group = google_compute_region_network_endpoint_group.gateway.id
  }
  # API Gateway has no ingress setting: its own *.gateway.dev address stays open and skips Cloud
  # Armor (cloud.google.com/api-gateway/docs/gateway-load-balancing, "Limitations"). So every
  # request forwarded from here carries a secret that API Gateway passes on and the functions
  # require (CIRRUS_EDGE_KEY, shared/platform/.../http/EdgeGate): around the edge is a 403.
  custom_request_headers = ["X-Cirrus-Edge: ${random_password.edge_key.result}"]
  log_config {
    enable = true # Cloud Armor's verdicts appear in the load balancer's request logs
  }
}

# Made here, kept in the state (which only the deployer and the state bucket's readers see) and in
# Secret Manager, where only the HTTP functions may read it. Replace it (terraform apply
# -replace=random_password.edge_key) to rotate: the load balancer and new instances change
# together, and instances started before keep refusing until Cloud Run replaces them.
resource "random_password" "edge_key" {
  length  = 48
  special = false
}

resource "google_secret_manager_secret" "edge_key" {
  secret_id = "cirrus-edge-key"
  replication {
    auto {}
  }
  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret_version" "edge_key" {
  secret      = google_secret_manager_secret.edge_key.id
  secret_data = random_password.edge_key.result
}

resource "google_secret_manager_secret_iam_member" "edge_key_readers" {
  for_each = {
    users         = google_service_account.users.email
    uploads       = google_service_account.uploads.email
    files         = google_service_account.files.email
    notifications = google_service_account.notifications.email
    admin         = google_service_account.admin.email
  }
  secret_id = google_secret_manager_secret.edge_key.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${each.value}"
}

resource "google_compute_url_map" "api" {
  name            = "cirrus-api"
  default_service = google_compute_backend_service.api.id
}

resource "google_compute_managed_ssl_certificate" "api" {
  name = "cirrus-api"
  managed {
    domains = [var.api_domain]
  }
}

resource "google_compute_target_https_proxy" "api" {
  name             = "cirrus-api"
  url_map          = google_compute_url_map.api.id
  ssl_certificates = [google_compute_managed_ssl_certificate.api.id]
}

resource "google_compute_global_address" "edge" {
  name = "cirrus-edge"
}

resource "google_compute_global_forwarding_rule" "api" {
  name                  = "cirrus-api"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  target                = google_compute_target_https_proxy.api.id
  ip_address            = google_compute_global_address.edge.id
  port_range            = "443"
}

output "edge_address" {
  description = "The load balancer's address: point var.api_domain's A record here."
  value       = google_compute_global_address.edge.address
}
