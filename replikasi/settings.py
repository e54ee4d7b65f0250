"""Replikasi settings, read from the environment.

Every value comes from an environment variable (or ``NAME_FILE`` holding it, for container
secrets). A wrong value stops the process at start-up with ``ImproperlyConfigured``; a missing
optional one falls back to a default that is safe for local use. The local defaults (DEBUG on,
a throw-away SECRET_KEY, embedded PostgreSQL and Redis) are provided by ``scripts/stack.py``,
never here: with nothing set, this module refuses to start.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.FileAwareEnv()

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_flag(name: str, default: bool) -> bool:
    """A boolean variable that accepts only clear words, so a typo never flips a safety switch."""
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean: use one of {sorted(TRUE_WORDS | FALSE_WORDS)}"
    )


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = env.str(name, default=str(default)).strip()
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below its minimum {minimum}")
    return value


DEBUG = env_flag("DEBUG", False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set")
if not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure")
):
    raise ImproperlyConfigured("SECRET_KEY is too weak for DEBUG=false: use 50+ random characters")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG=false")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Days an invitation's link stays valid (accounts/invitations.py).
INVITATION_DAYS = env_int("INVITATION_DAYS", 7, minimum=1)

INSTALLED_APPS = [
    "replikasi.apps.ReplikasiAdminConfig",  # django.contrib.admin with the site of replikasi/admin.py
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_celery_beat",
    "simple_history",
    "csp",
    "replikasi.apps.LoginAttemptsConfig",  # django-axes, its section named
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "regions",
    "accounts",
    "innovations",
    "replications",
    "portal",
]
# Demo data and benchmarks (devtools/) are for development: installed with DEBUG, or with DEVTOOLS=true;
# the container image leaves the folder out (.dockerignore).
DEVTOOLS_PRESENT = (BASE_DIR / "devtools" / "apps.py").exists()
DEVTOOLS = env.bool("DEVTOOLS", default=DEBUG and DEVTOOLS_PRESENT)
if DEVTOOLS and not DEVTOOLS_PRESENT:
    raise ImproperlyConfigured("DEVTOOLS=true, but this installation has no devtools/ folder")
if DEVTOOLS:
    INSTALLED_APPS.append("devtools")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the size limit, so that its 413 page carries the site's CSP like every other page.
    "csp.middleware.CSPMiddleware",
    # Before anything reads the body (the CSRF check reads a form): an oversize one is refused unread.
    "core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "replikasi.urls"
WSGI_APPLICATION = "replikasi.wsgi.application"
ASGI_APPLICATION = "replikasi.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "replications.context_processors.notifications",
            ],
        },
    },
]

# --- Database: PostgreSQL only, one code path for the embedded and the real server.
if not env.str("DATABASE_URL", default=""):
    raise ImproperlyConfigured("DATABASE_URL must be set (make run / make test start an embedded one)")
try:
    DATABASES = {"default": env.db_url("DATABASE_URL")}
except Exception as error:  # django-environ raises KeyError/ValueError on malformed URLs
    raise ImproperlyConfigured(f"DATABASE_URL is malformed: {error}") from None
if DATABASES["default"].get("ENGINE") != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "DATABASE_URL must be a postgres:// or postgresql:// URL: Replikasi runs on PostgreSQL only"
    )
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
    "DB_CONNECT_TIMEOUT", 5, minimum=1
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and the cache.
REDIS_URL = env.str("REDIS_URL", default="")
if not REDIS_URL:
    raise ImproperlyConfigured("REDIS_URL must be set (make run / make test start an embedded one)")
_redis_scheme = urlsplit(REDIS_URL).scheme
if _redis_scheme not in {"redis", "rediss", "unix"}:
    raise ImproperlyConfigured(f"REDIS_URL has scheme {_redis_scheme!r}: use redis://, rediss:// or unix://")
# Kombu names a Unix socket "redis+socket://"; redis-py (the cache) names it "unix://".
CELERY_BROKER_URL = (
    "redis+socket://" + REDIS_URL.removeprefix("unix://") if _redis_scheme == "unix" else REDIS_URL
)

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="replikasi"),
        "TIMEOUT": 300,
    }
}

# --- Celery: late acknowledgement, one task at a time per worker process, hard limits.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 60, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 90, minimum=1)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = False
# A task whose broker connection was lost cannot be acknowledged: cancel it, the broker redelivers it.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True

# --- Reminders (replications.reminders): claim, then send; retries with exponential backoff and jitter.
# A claim older than this was left by a dead worker and is taken up again; it must exceed the hard
# time limit plus the longest retry delay, so a live sender is never overtaken.
REMINDER_QUEUE = env.str("REMINDER_QUEUE", default=CELERY_TASK_DEFAULT_QUEUE)
# The queue of the search index's catch-up task (innovations.tasks).
SEARCH_INDEX_QUEUE = env.str("SEARCH_INDEX_QUEUE", default=CELERY_TASK_DEFAULT_QUEUE)
# The queue of the spreadsheet imports' check and import jobs (innovations.tasks).
IMPORT_QUEUE = env.str("IMPORT_QUEUE", default=CELERY_TASK_DEFAULT_QUEUE)
REMINDER_RETRY_BACKOFF = env_int("REMINDER_RETRY_BACKOFF", 30, minimum=1)
REMINDER_MAX_RETRIES = env_int("REMINDER_MAX_RETRIES", 5, minimum=0)
REMINDER_CLAIM_TIMEOUT = env_int(
    "REMINDER_CLAIM_TIMEOUT",
    CELERY_TASK_TIME_LIMIT + REMINDER_RETRY_BACKOFF * 2**REMINDER_MAX_RETRIES + 60,
    minimum=1,
)
# A send queued this long and never started was lost by the broker (longer than its visibility timeout).
REMINDER_QUEUE_TIMEOUT = env_int(
    "REMINDER_QUEUE_TIMEOUT", CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] * 6, minimum=1
)
# The sweep's own queue and limits: a backlog of sends never delays it, their short limits never cut it.
REMINDER_SWEEP_QUEUE = env.str("REMINDER_SWEEP_QUEUE", default="reminder-sweep")
REMINDER_SWEEP_SOFT_TIME_LIMIT = env_int("REMINDER_SWEEP_SOFT_TIME_LIMIT", 240, minimum=1)
REMINDER_SWEEP_TIME_LIMIT = env_int("REMINDER_SWEEP_TIME_LIMIT", 270, minimum=1)
CELERY_TASK_ROUTES = {"replications.sweep_reminders": {"queue": REMINDER_SWEEP_QUEUE}}

# --- Auth.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out username/IP before checking the password
    "accounts.backends.AddressLimitBackend",  # refuses an address past RATE_LIMITS["sign-in-address"]
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in lockout: after AXES_FAILURE_LIMIT failures for one username from one address, wait an hour.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1, minimum=1)
# Locked per username *and* address, so failures from elsewhere never lock the owner out; the address is
# the site's one reading of it (NUM_PROXIES), never the proxy's own nor a forged X-Forwarded-For.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "landing"  # portal.views.landing: where each role's work is
LOGOUT_REDIRECT_URL = "home"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=60)

# --- Language and time: Indonesian first, English on request; stored in UTC, shown per region.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"

# --- Static and uploaded files. Uploads live outside the static root and are never served directly.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / ".data" / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / ".data" / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# A body without files, and each uploaded file, held in memory up to this (a file goes to disk past it).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A request body larger than this is refused from its Content-Length before it is read (413): the largest
# upload (a PDF, or an admin's spreadsheet import of up to 20 MB) with the form around it.
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", max(UPLOAD_MAX_BYTES, 20 * 1024 * 1024) + 2 * 1024 * 1024)
# A PDF upload with more pages is refused before its pages are read (core/uploads.py).
UPLOAD_MAX_PDF_PAGES = env_int("UPLOAD_MAX_PDF_PAGES", 1000, minimum=1)

# --- Email: real SMTP through Django's backends; EMAIL_URL names the server.
try:
    _email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
except Exception as error:
    raise ImproperlyConfigured(f"EMAIL_URL is malformed: {error}") from None
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
# The password may stay out of EMAIL_URL: EMAIL_HOST_PASSWORD or EMAIL_HOST_PASSWORD_FILE.
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default=_email.get("EMAIL_HOST_PASSWORD", ""))
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Replikasi <noreply@replikasi.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security. Production values by default; DEBUG relaxes only what breaks plain-HTTP local use.
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = env_flag("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_flag("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_flag("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of the web processes append to X-Forwarded-For: the client's address is the
# one the outermost of them saw (core.ratelimit.client_address). 0 ignores the header, which anyone
# can write; the documented deployment (one TLS proxy) sets 1.
NUM_PROXIES = env_int("NUM_PROXIES", 0)
# /healthz and /readyz answer the load balancer over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- REST API (/api/v1/). Authentication, pagination, throttling and filters are set on the one base
# viewset (regions/api.py); these are the defaults DRF and drf-spectacular read outside it.
API_THROTTLE_RATES = {
    "anon": env.str("API_THROTTLE_ANON", default="60/minute"),
    "user": env.str("API_THROTTLE_USER", default="600/minute"),
}
# The site's own limits (core.ratelimit), per address or per account, in the same form.
RATE_LIMITS = {
    # Failed sign-ins from one address, whatever the usernames (axes locks username × address).
    "sign-in-address": env.str("RATE_SIGN_IN_ADDRESS", default="30/hour"),
    # Password reset requests from one address, and for one email address.
    "password-reset-address": env.str("RATE_PASSWORD_RESET_ADDRESS", default="10/hour"),
    "password-reset-email": env.str("RATE_PASSWORD_RESET_EMAIL", default="3/hour"),
    # Password change attempts of one signed-in user.
    "password-change": env.str("RATE_PASSWORD_CHANGE", default="10/hour"),
    # Find by problem and its suggestions (the heaviest searches) by one anonymous address.
    "problem-search": env.str("RATE_PROBLEM_SEARCH", default="10/minute"),
}
for _variable, _rate in [
    *((f"API_THROTTLE_{scope.upper()}", rate) for scope, rate in API_THROTTLE_RATES.items()),
    *((f"RATE_{name.upper().replace('-', '_')}", rate) for name, rate in RATE_LIMITS.items()),
]:
    _count, _, _period = _rate.partition("/")
    if not _count.isdigit() or _period not in {"second", "minute", "hour", "day", "s", "m", "h", "d"}:
        raise ImproperlyConfigured(f"{_variable}={_rate!r}: use e.g. 60/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATE_INPUT_FORMATS": ["iso-8601"],
    "COERCE_DECIMAL_TO_STRING": False,
    # ?format= names an export's file type (csv, xlsx), not a renderer.
    "URL_FORMAT_OVERRIDE": None,
    # The throttles ask core.ratelimit.client_address, which reads settings.NUM_PROXIES; DRF's own
    # reading of the header (elsewhere) follows the same count.
    "NUM_PROXIES": NUM_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Replikasi API",
    "DESCRIPTION": (
        "The innovation bank and the replication programme of Replikasi. Read the bank without signing "
        "in; manage proposals with a personal API token (Authorization: Bearer rpk_…, created at "
        "/akun/token/) or the site's session. Errors share one body: status, code, detail, errors. "
        "Messages follow Accept-Language (id by default, en)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "TierEnum": "innovations.models.Tier.choices",
        "ProposalStatusEnum": "replications.models.Status.choices",
    },
    "SERVE_AUTHENTICATION": [],
}

# --- Demo accounts (seed_demo). The default password is for local use only.
DEMO_PASSWORD_DEFAULT = "replikasi-demo-2021"
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default=DEMO_PASSWORD_DEFAULT)
if not DEMO_PASSWORD.strip():
    raise ImproperlyConfigured("DEMO_PASSWORD is empty: unset it, or set the demo accounts' password")
