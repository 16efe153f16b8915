# The web app (web/) on Firebase Hosting. Terraform owns the Firebase web app (its App Check
# registration and the config the build injects), the Hosting site, and the reCAPTCHA Enterprise
# key App Check uses; the files are deployed by cloudbuild-deploy.yaml (`firebase deploy --only
# hosting`, with web/firebase.json's headers: the Content Security Policy), since Terraform cannot
# upload a site's files.

resource "google_firebase_web_app" "web" {
  provider        = google-beta
  project         = var.project_id
  display_name    = "Cirrus web"
  deletion_policy = "DELETE"
  depends_on      = [google_project_service.apis]
}

data "google_firebase_web_app_config" "web" {
  provider   = google-beta
  project    = var.project_id
  web_app_id = google_firebase_web_app.web.app_id
}

resource "google_firebase_hosting_site" "web" {
  provider = google-beta
  project  = var.project_id
  site_id  = "${var.project_id}-web"
  app_id   = google_firebase_web_app.web.app_id
}

locals {
  hosting_origins = [
    "https://${google_firebase_hosting_site.web.site_id}.web.app",
    "https://${google_firebase_hosting_site.web.site_id}.firebaseapp.com",
  ]
  # Who the API and the uploads bucket answer CORS for: the hosted app, and any origin the
  # operator adds (their own domain for the app, a staging site).
  cors_origins = contains(var.cors_origins, "*") ? ["*"] : distinct(concat(local.hosting_origins, var.cors_origins))
}

# App Check for the web app: reCAPTCHA Enterprise scores the browser, App Check turns the score
# into the token the app sends as X-Firebase-AppCheck.
resource "google_recaptcha_enterprise_key" "web" {
  project      = var.project_id
  display_name = "Cirrus web App Check"
  web_settings {
    integration_type  = "SCORE"
    allow_all_domains = false
    allowed_domains   = [for o in local.hosting_origins : trimprefix(o, "https://")]
  }
  depends_on = [google_project_service.apis]
}

resource "google_firebase_app_check_recaptcha_enterprise_config" "web" {
  provider  = google-beta
  project   = var.project_id
  app_id    = google_firebase_web_app.web.app_id
  site_key  = google_recaptcha_enterprise_key.web.name
  token_ttl = "3600s"
}
