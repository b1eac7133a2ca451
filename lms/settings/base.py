"""Settings shared by every environment. Everything that differs between machines comes from
environment variables; see `.env.example` for the full list."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Project apps first so their templates and translations win.
    "cms",
    "trainees",
    "notices",
    "training_bases",
    "courses",
    "live",
    "certificates",
    "exams",
    "readiness",
    "feedback",
    "consultations",
    "surveys",
    "privacy",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # JSON API (bundled Swagger UI: no CDN)
    "ninja",
    # Content-Security-Policy header
    "csp",
    # Background work
    "django_celery_beat",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

# Order: the CSP header goes on every page, the 413 and 400 answers included; the declared size
# is refused before anything reads the body (RejectNulBytes reads the form); both answer in the
# user's language; then allauth and the access gate, which may render pages of their own.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "lms.page_cache.AnonymousPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lms.csp.ContentSecurityPolicyMiddleware",
    "lms.uploads.RequestSizeLimitMiddleware",
    "trainees.middleware.RejectNulBytesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "trainees.middleware.AccessGateMiddleware",
    "cms.middleware.CachedSiteMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"
AUTH_USER_MODEL = "trainees.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite is the embedded default; DATABASE_URL selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if os.environ.get("POSTGRES_HOST") and not os.environ.get("DATABASE_URL"):
    # Separate variables (as docker-compose passes them): a password with @, : or / needs no
    # URL-encoding this way.
    DATABASES["default"].update(
        ENGINE="django.db.backends.postgresql",
        HOST=os.environ["POSTGRES_HOST"],
        PORT=os.environ.get("POSTGRES_PORT", "5432"),
        NAME=os.environ.get("POSTGRES_DB", "lms"),
        USER=os.environ.get("POSTGRES_USER", "lms"),
        PASSWORD=os.environ.get("POSTGRES_PASSWORD", ""),
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Connections start in UTC, as Django reads and writes times: otherwise a server whose zone
    # is spelled differently (Debian's "Etc/UTC") costs every new connection a SET TIME ZONE.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c timezone=UTC")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis (cache, sessions, Celery broker). Without REDIS_URL everything stays in-process.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Cache and sessions may live in separate Redis databases (REDIS_SESSIONS_URL), so flushing
    # the cache never logs everybody out; the broker has its own (CELERY_BROKER_URL).
    CACHES = {
        "default": {
            "BACKEND": "lms.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lms",
        },
        "sessions": {
            "BACKEND": "lms.redis_cache.RedisCache",
            "LOCATION": os.environ.get("REDIS_SESSIONS_URL", REDIS_URL),
            "KEY_PREFIX": "lms-session",
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    SESSION_CACHE_ALIAS = "sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_IMPORTS = ("lms.tasks",)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic jobs; each app adds its entries in its AppConfig.ready() via lms.celery.
CELERY_BEAT_SCHEDULE: dict = {
    # Trainees: terminate cultivations whose audit has had no conclusion within the policy limit.
    "trainees-cultivation-time-rules": {
        "task": "trainees.tasks.cultivation_time_rules",
        "schedule": crontab(hour=2, minute=0),
    },
    # Notices (training sessions and every other registered target): reminders N days before
    # the start, and the daily digest.
    "notices-reminders": {"task": "notices.tasks.send_reminders", "schedule": crontab(hour=8, minute=0)},
    # Exams: attempts left open past their deadline are submitted at their deadline.
    "exams-submit-overdue-attempts": {"task": "exams.tasks.submit_overdue_attempts", "schedule": 60.0},
    "notices-daily-digests": {"task": "notices.tasks.send_daily_digests", "schedule": crontab(hour=18, minute=0)},
    # Personal information: delete or anonymise what passed its retention period (LMS_RETENTION_DAYS).
    "privacy-purge-expired": {"task": "privacy.tasks.purge_expired", "schedule": crontab(hour=3, minute=30)},
    # Readiness: recompute every enterprise's readiness report (inputs may change with time).
    # Surveys: invitation e-mails once an event's survey opens (reminders come from notices).
    "surveys-send-invitations": {"task": "surveys.tasks.send_invitations", "schedule": crontab(minute="*/15")},
    "readiness-nightly-recompute": {
        "task": "readiness.tasks.recompute_all_readiness",
        "schedule": crontab(hour=3, minute=0),
    },
    # Consultations: tell coordinators of questions past their district's answer time.
    "consultations-flag-overdue": {
        "task": "consultations.tasks.flag_overdue_consultations",
        "schedule": crontab(minute=5),
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "lms.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# django-allauth: e-mail or mainland mobile number to sign in, mandatory e-mail verification (notices
# and calendars go by e-mail), rate limits on (the defaults). A mobile number is optional at
# sign-up, unique, and verified with a code sent by SMS (lms.sms); with it a person may also sign in
# with a code sent by SMS instead of the password ("Send me a sign-in code").
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "phone", "password1*", "password2*"]
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_CHANGE = True
ACCOUNT_PHONE_VERIFICATION_TIMEOUT = 10 * 60
# Codes sent by SMS are six digits, as Chinese users know them.
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_SIGNUP_FORM_CLASS = "trainees.forms.SignupExtraForm"
# Personal information (PIPL; privacy/ app). The version of the privacy notice people consent to:
# raise it when the notice changes (privacy/templates/privacy/notice_*.html) and consent is asked again.
LMS_PRIVACY_NOTICE_VERSION = "2026-12"
# Retention periods in days (privacy.tasks.purge_expired, nightly): notices already e-mailed are
# deleted; handled data requests (deletions done or refused) are deleted; accounts of people who
# have not signed in for this long are anonymised as a deletion would (0: never; back-office
# accounts are never touched). Exam, attendance and audit records are kept anonymised (see
# privacy/README in docs/privacy.md).
LMS_RETENTION_DAYS = {
    "sent_notices": int(os.environ.get("LMS_RETENTION_SENT_NOTICES_DAYS", "365")),
    "handled_requests": int(os.environ.get("LMS_RETENTION_HANDLED_REQUESTS_DAYS", str(3 * 365))),
    "inactive_accounts": int(os.environ.get("LMS_RETENTION_INACTIVE_ACCOUNTS_DAYS", "0")),
}
# Text messages (lms.sms): a dotted path to a backend class. The console backend prints codes
# for development; production names its provider's class (see README, "Sign-in by mobile number").
LMS_SMS_BACKEND = os.environ.get("LMS_SMS_BACKEND", "lms.sms.ConsoleBackend")
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_GET = False
# Sign-up and password reset answer the same whether or not an address has an account.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[AEO] "
ACCOUNT_ADAPTER = "trainees.adapters.AccountAdapter"
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Back-office users (officers, trainers, superusers, any role with wagtailadmin.access_admin)
# must set up TOTP before they reach anything but the 2FA setup pages. On in production.
LMS_REQUIRE_STAFF_MFA = env_bool("LMS_REQUIRE_STAFF_MFA", False)
MFA_TOTP_ISSUER = "AEO Cultivation LMS"

# Language and time: Simplified Chinese first, English second, Asia/Shanghai.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Completions of Wagtail's own Chinese catalogue come first so they win (lms/admin_translations).
LOCALE_PATHS = [BASE_DIR / "lms" / "admin_translations" / "locale", BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Files only permission-checked views may stream (evidence, tickets, certificates, exports).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "evidence": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}},
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "AEO 信用培育 <noreply@aeo-lms.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

WAGTAIL_SITE_NAME = "AEO 信用培育学习平台"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False  # password resets go through allauth
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "cms.search"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False  # it would call releases.wagtail.org from every admin page
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "txt", "csv", "zip", "mp4", "webm"]
# Seconds between the watch-time heartbeats a video player sends (courses.watchtime).
WATCH_HEARTBEAT_SECONDS = int(os.environ.get("WATCH_HEARTBEAT_SECONDS", "30"))
# Live observation (live/): hosts whose stream addresses may be plain http:// (development, tests);
# lifetime of the signed per-viewer stream addresses the watch page is given.
LIVE_STREAM_HTTP_HOSTS = env_list("LIVE_STREAM_HTTP_HOSTS")
LIVE_STREAM_URL_SECONDS = int(os.environ.get("LIVE_STREAM_URL_SECONDS", "120"))

# Page cache (lms.page_cache): anonymous requests (no session cookie) to these views and Wagtail
# page types are served from the cache; menus, language links and site settings are cached per
# site and language. Seconds an entry lives at most; 0 turns both off. Publishing, moving or
# deleting a page and any change to a training session or its seats start a new generation.
LMS_PAGE_CACHE_SECONDS = int(os.environ.get("LMS_PAGE_CACHE_SECONDS", "600"))
LMS_PAGE_CACHE_VIEWS = ["training_bases:calendar", "training_bases:session_detail"]
LMS_PAGE_CACHE_PAGE_TYPES = ["cms.HomePage", "cms.StandardPage", "courses.CourseIndexPage", "courses.CoursePage"]

# Content-Security-Policy (django-csp 4, lms.csp). The public site has no inline scripts: scripts
# only from our own static files. Inline style attributes remain in templates, so styles allow
# 'unsafe-inline' (no script runs from a style). The back office (LMS_BACK_OFFICE_PREFIXES) also
# allows its inline scripts. Extra media origins (videos on another host): LMS_CSP_MEDIA_SOURCES.
LMS_BACK_OFFICE_PREFIXES = ["/admin/", "/django-admin/"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "media-src": [SELF, "blob:", *env_list("LMS_CSP_MEDIA_SOURCES")],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# No third-party avatar service (no CDN at run time; blocked by the policy anyway).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Uploads (lms.uploads): every file has a size limit, and a request larger than the largest of
# them is refused (413) before its body is read.
MB = 1024 * 1024
LMS_UPLOAD_MAX_BYTES = int(os.environ.get("LMS_UPLOAD_MAX_BYTES", 10 * MB))  # spreadsheets to import
WAGTAILDOCS_MAX_UPLOAD_SIZE = int(os.environ.get("WAGTAILDOCS_MAX_UPLOAD_SIZE", 50 * MB))
WAGTAILIMAGES_MAX_UPLOAD_SIZE = int(os.environ.get("WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * MB))
# Self-assessment evidence and consultation attachments; candidates' photos; exam answer files
# brought on a USB stick; GIFT / Moodle XML question files.
LMS_EVIDENCE_MAX_BYTES = int(os.environ.get("LMS_EVIDENCE_MAX_BYTES", 20 * MB))
LMS_EXAM_PHOTO_MAX_BYTES = int(os.environ.get("LMS_EXAM_PHOTO_MAX_BYTES", 5 * MB))
LMS_ANSWER_FILE_MAX_BYTES = int(os.environ.get("LMS_ANSWER_FILE_MAX_BYTES", 2_000_000))
EXAMS_IMPORT_MAX_BYTES = int(os.environ.get("EXAMS_IMPORT_MAX_BYTES", 20 * MB))
LMS_MAX_REQUEST_BYTES = (
    max(
        LMS_UPLOAD_MAX_BYTES,
        WAGTAILDOCS_MAX_UPLOAD_SIZE,
        WAGTAILIMAGES_MAX_UPLOAD_SIZE,
        LMS_EVIDENCE_MAX_BYTES,
        LMS_EXAM_PHOTO_MAX_BYTES,
        LMS_ANSWER_FILE_MAX_BYTES,
        EXAMS_IMPORT_MAX_BYTES,
    )
    + MB
)
# An XLSX whose parts unpack beyond this, or compress better than this ratio, is refused unread.
LMS_XLSX_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("LMS_XLSX_MAX_UNCOMPRESSED_BYTES", 200 * MB))
LMS_XLSX_MAX_RATIO = int(os.environ.get("LMS_XLSX_MAX_RATIO", 200))
# Reverse proxies in front of the site that append to X-Forwarded-For (lms.net.client_ip reads
# the client's address through exactly this many; 0: REMOTE_ADDR, the header is ignored).
LMS_TRUSTED_PROXY_COUNT = int(os.environ.get("LMS_TRUSTED_PROXY_COUNT", "0"))
# Addresses that see /healthz's details (monitors, load balancers).
LMS_HEALTHZ_INTERNAL_NETWORKS = env_list(
    "LMS_HEALTHZ_INTERNAL_NETWORKS", "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16"
)

# Web imports with more rows than this run in a Celery task with a progress page.
LMS_IMPORT_INLINE_MAX_ROWS = int(os.environ.get("LMS_IMPORT_INLINE_MAX_ROWS", 1000))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": os.environ.get("LOG_FORMAT", "json"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "celery": {"level": "INFO"},
        "django_tasks": {"level": "WARNING"},
    },
}
