"""The one settings module. Everything that differs between machines comes from the environment.

Development needs nothing set: SQLite, console email, Celery tasks run in-process.
Production (DEBUG off) refuses to start without a real SECRET_KEY.
"""

import hashlib
import hmac
from pathlib import Path

import environ
from celery.schedules import crontab
from csp import constants as csp

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)  # optional local overrides


def env_secret(name, default=None):
    """Read a secret from NAME or from the file NAME_FILE points at (Docker/K8s secrets)."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        return Path(path).read_text().strip()
    return env.str(name, default=default)


DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
# Without a key in production, every command that serves or changes anything stops at the system
# check (slaportal/checks.py); build steps that need no key (collectstatic, compilemessages) run.
SECRET_KEY = env_secret("SECRET_KEY", default="") or (_DEV_SECRET_KEY if DEBUG else "")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}")
SITE_URL = SITE_URL.rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_celery_beat",
    "pgtrigger",  # the audit table's append-only trigger (PostgreSQL only)
    "slaportal",  # project-wide management commands (healthcheck)
    "accounts",
    "organizations",
    "agreements",
    "funnel",
    "notifications",  # the email outbox
    "webhooks",  # signed event deliveries to the organisations' own endpoints (an outbox)
    "ninja",  # the API's OpenAPI document and its bundled (self-hosted) docs page
    "api",  # /api/v1/: tokens, the call log, the endpoints
    "compliance",  # lead events from the CRM measured against the signed commitments
]

MIDDLEWARE = [
    "slaportal.health.HealthCheckMiddleware",  # first: probes skip host checks and redirects
    "slaportal.upload_limits.RequestSizeLimitMiddleware",  # before anything reads the body
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "api.middleware.ApiCallLogMiddleware",  # logs /api/v1/ calls made with a token
]

ROOT_URLCONF = "slaportal.urls"
WSGI_APPLICATION = "slaportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "organizations.context_processors.memberships",
            ],
            # Numbers, amounts, percentages and dates in the reader's language, everywhere.
            "builtins": ["slaportal.templatetags.locale_format"],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: a request (even /healthz) need not open one; checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email + password, no usernames.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# "optional": signup sends the verification link but sign-in does not wait for it; accepting an
# invitation and signing check the address themselves (accounts/verification.py).
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
# allauth's built-in rate limits (login failures per IP and per account) guard against guessing.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("it", "Italiano"),
    ("tr", "Türkçe"),
    ("zh-hans", "简体中文"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Where PDFs are stored: the local disk (MEDIA_ROOT), or an S3-compatible bucket when
# STORAGE_BACKEND=storages.backends.s3.S3Storage (django-storages; AWS S3, MinIO, Ceph...).
STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage")
_default_storage = {"BACKEND": STORAGE_BACKEND}
if STORAGE_BACKEND.startswith("storages.backends.s3"):
    _default_storage["OPTIONS"] = {
        "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        "access_key": env_secret("AWS_ACCESS_KEY_ID", default="") or None,
        "secret_key": env_secret("AWS_SECRET_ACCESS_KEY", default="") or None,
        "location": env.str("AWS_LOCATION", default=""),
        "default_acl": None,  # objects stay private: the app streams every download itself
        "file_overwrite": False,  # a version's PDF is never replaced in place
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# One cache shared by every web and worker process, because allauth's login rate limits live in
# it: a per-process memory cache would let each gunicorn worker count failures on its own.
# CACHE_URL (or REDIS_URL) names Redis in production; the embedded default is the database
# cache (its table is created by `createcachetable`, which bin/run and bin/prod web call).
_cache_url = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
if _cache_url:
    CACHES = {"default": env.cache_url_config(_cache_url)}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "slaportal_cache",
        }
    }

# Funnel results per plan state (agreements/authoring/funnel_plan.py): per process, bounded, so
# the embedded default's database cache is not asked on every editor page.
CACHES["funnel"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "funnel-outcomes",
    "OPTIONS": {"MAX_ENTRIES": 200},
}
# What editor pages derive from a whole draft (the sidebar's problems, the funnel panel), per
# draft state (agreements/authoring/document.py): a key never names two states, so a per-process
# cache is never stale.
CACHES["documents"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "draft-documents",
    "OPTIONS": {"MAX_ENTRIES": 500},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console in development; EMAIL_URL (smtp://user:pass@host:587/?tls=True) in production.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "") or env_secret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SLA Portal <noreply@slaportal.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Every email goes through the outbox (notifications/): a failed attempt is retried after
# 1, 2, 4... minutes (at most an hour apart) until this many attempts, then shown as failed.
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=8)
# A row still "sending" after this long is assumed lost with its worker and queued again.
EMAIL_SENDING_TIMEOUT_SECONDS = env.int("EMAIL_SENDING_TIMEOUT_SECONDS", default=600)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)  # seconds per SMTP connection step

# Celery. Without a broker, tasks run in-process (eagerly) so the embedded default needs no Redis.
_broker_url = env_secret("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not _broker_url
# In-process mode still names an in-memory transport, so nothing ever dials a default broker.
CELERY_BROKER_URL = _broker_url or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
# A worker child that grew past this (KiB) after a task is replaced: a large render leaves
# its process holding hundreds of MB otherwise. The largest allowed contract peaks at ~370 MB.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("WORKER_MAX_MEMORY_PER_CHILD_KB", default=600_000)
# A killed worker's message goes back to the queue once it has been unacknowledged this long
# (Redis's default is an hour): just above the hard limit, so a live task is never redelivered.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 60}
# With the broker down, publishing gives up within about a second: the change is committed, the
# work's row says it is due, and the sweep re-sends it (slaportal/queueing.py).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=1.0)
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_IGNORE_RESULT = True  # task status lives on our own models
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE

# Security: strict by default when DEBUG is off; each can be relaxed behind a TLS-terminating proxy.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # views that must be framed (the PDF on the signing page) opt out
# Content-Security-Policy (django-csp): scripts only from this origin or with the request's nonce
# (the app has no inline scripts; the nonce is there for any that come), images also as data:
# URLs (signatures), frames only of this origin (the PDF on the signing page). Inline style
# attributes stay allowed: Bootstrap's markup and a few templates use them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF, "'unsafe-inline'"],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "frame-src": [csp.SELF],
        "frame-ancestors": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
    },
}
# Submitting a domain to the HSTS preload list is the operator's decision, not the app's default.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# How many reverse proxies stand in front of the app and set X-Forwarded-For: the client's
# address in signing evidence is read behind exactly that many (slaportal/client_ip.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Periodic jobs (django-celery-beat copies this schedule into its tables on start).
CELERY_BEAT_SCHEDULE = {
    "sweep-stuck-documents": {
        "task": "agreements.tasks.sweep_stuck_documents",
        "schedule": 60.0,
    },
    "deliver-due-emails": {
        "task": "notifications.tasks.deliver_due",
        "schedule": 60.0,
    },
    "deliver-due-webhooks": {  # webhooks: retries, and rows a dead worker or broker left
        "task": "webhooks.tasks.deliver_due",
        "schedule": 60.0,
    },
    "review-reminders": {
        "task": "agreements.tasks.send_review_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "refresh-compliance": {  # lead-event compliance: clocks run on without new events
        "task": "compliance.tasks.refresh_due",
        "schedule": crontab(minute=5),
    },
}
# Both leads are reminded this many days before each review date (and once when it is overdue).
REVIEW_REMINDER_DAYS = env.int("REVIEW_REMINDER_DAYS", default=7)
# A PDF still queued after this long is assumed to have lost its queue message and is re-sent.
SWEEP_STUCK_AFTER_SECONDS = env.int("SWEEP_STUCK_AFTER_SECONDS", default=120)
# A worker's claim on a PDF expires after the task's hard time limit: its worker is gone (killed,
# out of memory), so the redelivered message or the sweep takes the PDF over.
PDF_CLAIM_EXPIRES_AFTER_SECONDS = env.int(
    "PDF_CLAIM_EXPIRES_AFTER_SECONDS", default=CELERY_TASK_TIME_LIMIT + 30
)
# Attempts per PDF before it is failed for good with the reason shown (no automatic retry; a
# person's "Try again" starts the count over).
PDF_MAX_ATTEMPTS = env.int("PDF_MAX_ATTEMPTS", default=3)
# RFC 3161 timestamp server for the seal (PAdES B-T); empty means no timestamp (B-B).
SEAL_TIMESTAMP_URL = env.str("SEAL_TIMESTAMP_URL", default="")
# PEM file of the roots the TSA's certificate chains to, so its validation data can be embedded
# (PAdES B-LTA); empty means certifi's bundle of public roots.
SEAL_TIMESTAMP_ROOTS = env.str("SEAL_TIMESTAMP_ROOTS", default="")
# Archive period: generated seal certificates stay valid this long (their CA a year longer), so
# a signed PDF verifies as trusted for that long without re-timestamping.
SEAL_CERTIFICATE_YEARS = env.int("SEAL_CERTIFICATE_YEARS", default=10)
# /verify/ checks per client address and window (each reads up to 20 MB and validates a seal).
VERIFY_RATE_LIMIT = env.int("VERIFY_RATE_LIMIT", default=30)
VERIFY_RATE_WINDOW_SECONDS = env.int("VERIFY_RATE_WINDOW_SECONDS", default=600)
# Requests declaring a larger body are refused unread (413): the largest upload is a 20 MB PDF.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=21 * 1024 * 1024)
# The public funnel API: calls per client address and window.
FUNNEL_API_RATE_LIMIT = env.int("FUNNEL_API_RATE_LIMIT", default=60)
FUNNEL_API_RATE_WINDOW_SECONDS = env.int("FUNNEL_API_RATE_WINDOW_SECONDS", default=60)
# Calls per API token and window on /api/v1/ (the shared cache counts across workers).
API_RATE_LIMIT = env.int("API_RATE_LIMIT", default=600)
API_RATE_WINDOW_SECONDS = env.int("API_RATE_WINDOW_SECONDS", default=60)

# Each audit-trail entry is an HMAC-SHA256 link under one of these keys (agreements/audit.py):
# "k1=secret,k2=secret" (or AUDIT_HMAC_KEYS_FILE). New entries use AUDIT_HMAC_KEY_ID; keep old
# keys listed so the entries written under them still verify. Unset: one key "k1" derived from
# SECRET_KEY, so changing SECRET_KEY then makes the trail unverifiable: set real keys first.
AUDIT_HMAC_KEYS = environ.Env.parse_value(env_secret("AUDIT_HMAC_KEYS", default=""), dict) or {
    "k1": hmac.new(SECRET_KEY.encode(), b"slaportal audit trail k1", hashlib.sha256).hexdigest()
}
AUDIT_HMAC_KEY_ID = env.str("AUDIT_HMAC_KEY_ID", default="k1")

# Organisation invitations stay valid for this many days.
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)

# Webhooks (webhooks/). Endpoints must resolve to public addresses unless this is true (local
# receivers in development and tests); checked when an endpoint is saved and before each send.
WEBHOOK_ALLOW_PRIVATE = env.bool("WEBHOOK_ALLOW_PRIVATE", default=False)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)  # whole request
# A failed attempt is retried after base, 2 x base, 4 x base... seconds (at most an hour apart,
# with jitter) until WEBHOOK_RETRY_FOR_SECONDS after the event (or a Resend); then it fails.
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", default=30.0)
WEBHOOK_RETRY_FOR_SECONDS = env.int("WEBHOOK_RETRY_FOR_SECONDS", default=86400)
# A delivery still "sending" after this long lost its worker and is queued again.
WEBHOOK_SENDING_TIMEOUT_SECONDS = env.int("WEBHOOK_SENDING_TIMEOUT_SECONDS", default=300)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},  # its INFO is a line per layout step
        "celery.app.trace": {"level": "WARNING"},  # a line per in-process task in development
        "fontTools": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},  # announces its logger bridge on import
        "pyhanko": {"level": "ERROR"},  # warns with a traceback on every untrusted check
        "pyhanko_certvalidator": {"level": "ERROR"},
    },
}

ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
