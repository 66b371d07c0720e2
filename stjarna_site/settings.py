"""Stjarna settings: every value an operator may change is read from the environment here.

With no environment at all the product runs on its embedded default: SQLite under ``var/`` and a
local-memory cache in one process. Production sets ``DATABASE_URL`` (PostgreSQL), ``REDIS_URL``,
``SECRET_KEY`` and ``ALLOWED_HOSTS``. ``.env.example`` lists every variable with its default.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE as CSP_NONCE
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A local .env file is a convenience for development; real deployments use the environment.
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

# --- Core -------------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production: use at least 50 random characters."
    )
# Key rotation: put the old key here while sessions and signatures migrate to the new one.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off (comma-separated).")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Public base URL of this deployment, used in the embed snippet shown to staff.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Applications -----------------------------------------------------------------------------
DJANGO_APPS = [
    # django.contrib.admin with Stjarna's admin site (the owner's home, invitations, password reset)
    "stjarna_site.apps.StjarnaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]
THIRD_PARTY_APPS = [
    "rest_framework",
    "corsheaders",
    "auditlog",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI / Redoc assets served by us, not from a CDN
    "django_ratelimit",
    "axes",  # login throttling (accounts.throttling)
    "csp",
]
LOCAL_APPS = [
    "accounts",
    "tenants",
    "menu",
    "chat",
    "widget",
    "operators",  # operator tooling: IP blocks, audit trail, GDPR, notices, commands
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "stjarna_site.logging.RequestLogMiddleware",
    # Every error on /api/ in the JSON error shape, whichever layer below answered it.
    "stjarna_site.bounded_input.ApiErrorShapeMiddleware",
    "stjarna_site.bounded_input.RequestBodyLimitMiddleware",
    # A database that stops answering costs a request seconds, then a 503 (PostgreSQL only).
    "stjarna_site.deadlines.DatabaseDeadlineMiddleware",
    # Blocked IPs get their 403 before any other work (but still get a request log line).
    "operators.middleware.BlockedIPMiddleware",
    "operators.middleware.RateLimitedCounterMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Names the logged-in user as the actor of admin changes in the audit trail (admin only).
    "operators.middleware.AdminAuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy on the admin and the demo page (CONTENT_SECURITY_POLICY below).
    "stjarna_site.page_policy.PagePolicyMiddleware",
    # Last, as django-axes asks: turns a lockout during login into the lockout page (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "stjarna_site.urls"
WSGI_APPLICATION = "stjarna_site.wsgi.application"

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
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'stjarna.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend plus the worker's breaker for a database that stopped answering.
    DATABASES["default"]["ENGINE"] = "stjarna_site.postgresql"
    # Fail fast when PostgreSQL is unreachable, so /api/health answers 503 quickly.
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options.setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=2))
    # A hung query must not hold a worker forever (0 disables; long migrations may need it).
    _statement_timeout = env.int("DATABASE_STATEMENT_TIMEOUT_MS", default=10000)
    if _statement_timeout:
        _db_options.setdefault("options", f"-c statement_timeout={_statement_timeout}")
    # A lost server or network (no FIN, no RST) is noticed in seconds, not after the kernel's
    # two hours of keepalive silence or fifteen minutes of retransmissions (libpq parameters).
    _db_options.setdefault("keepalives", 1)
    _db_options.setdefault("keepalives_idle", env.int("DATABASE_KEEPALIVES_IDLE", default=5))
    _db_options.setdefault("keepalives_interval", 2)
    _db_options.setdefault("keepalives_count", 2)
    _db_options.setdefault(
        "tcp_user_timeout", env.int("DATABASE_TCP_USER_TIMEOUT_MS", default=5000)
    )
# A server that is up but stopped answering (SIGSTOP, a stuck disk) still ACKs every packet, so
# no socket option notices it: stjarna_site.deadlines cuts a request's connection after this many
# seconds (an API request needs milliseconds; the first cut opens the worker's database breaker).
DATABASE_REQUEST_DEADLINE = env.float("DATABASE_REQUEST_DEADLINE", default=3.0)
# The admin's imports and exports may legitimately take longer; still below gunicorn's timeout.
DATABASE_ADMIN_REQUEST_DEADLINE = env.float("DATABASE_ADMIN_REQUEST_DEADLINE", default=25.0)
# After such a cut or a connect timeout the worker skips PostgreSQL this long (503 at once).
DATABASE_BREAKER_SECONDS = env.float("DATABASE_BREAKER_SECONDS", default=2.0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CACHE_TIMEOUT_SECONDS = env.float("CACHE_SOCKET_TIMEOUT", default=0.5)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="stjarna"),
            "OPTIONS": {
                # After a timeout the worker skips Redis for this long (stjarna_site.breaker).
                "CLIENT_CLASS": "stjarna_site.breaker.CircuitBreakerClient",
                "BREAKER_SECONDS": env.float("CACHE_BREAKER_SECONDS", default=2.0),
                "SOCKET_CONNECT_TIMEOUT": CACHE_TIMEOUT_SECONDS,
                "SOCKET_TIMEOUT": CACHE_TIMEOUT_SECONDS,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "stjarna",
        }
    }

# --- Rate limits (django-ratelimit, counted in the cache above; see chat.ratelimits) ----------
RATELIMIT_USE_CACHE = "default"
# A cache failure that django-ratelimit notices itself is reported (count 0), not waved through:
# stjarna_site.counters then counts in the worker's own memory, as it does for a raised error.
RATELIMIT_FAIL_OPEN = False
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # The embedded default is one process, where a local-memory cache *is* shared by every
    # request; production (REDIS_URL) gets the full check.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# --- Bounded input (stjarna_site.bounded_input; nginx's client_max_body_size matches) --------
# The largest body any endpoint takes: a 5000-item menu import or a 2 MB admin upload. The chat
# API keeps its own 8 KiB (SPEC §5).
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=3 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY_BYTES

# --- Auth, i18n, static -----------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First, as django-axes requires: refuses a locked-out account or address before any hashing.
    "axes.backends.AxesStandaloneBackend",
    # Staff sign in with their e-mail address (or their username: operators, older accounts).
    "accounts.backends.EmailOrUsernameBackend",
]
# Staff sign in on the admin's login page, and land on the admin (the owner's home) after it.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
# Invitation and password-reset links (Django's password-reset tokens) stop working after this.
PASSWORD_RESET_TIMEOUT = int(env.float("PASSWORD_LINK_TIMEOUT_HOURS", default=72) * 3600)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "widget.finders.WidgetBundleFinder",  # the built widget panel (widget/bundle.py)
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "widget.storage.StaticFilesStorage"  # whitenoise's, the widget panel by Zopfli
        )
    },
}

# --- Security (production) --------------------------------------------------------------------
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^api/health$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# django-csp: only our own scripts, styles (the demo page's one <style> carries the request's
# nonce), images and API calls; the widget styles its Shadow DOM with adoptedStyleSheets, which
# needs no 'unsafe-inline'. The JSON API is left out (nothing there renders), and so are the
# OpenAPI docs pages, whose Swagger UI/Redoc bootstrap with inline scripts.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/"],
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF],
        "style-src": [CSP_SELF, CSP_NONCE],
        "img-src": [CSP_SELF, "data:"],
        "font-src": [CSP_SELF],
        "connect-src": [CSP_SELF],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_SELF],
        "form-action": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
    },
}

# --- Login throttling (django-axes; docs/architecture.md "Login throttling") ------------------
# Failed logins are counted per account and, separately, per client address; either count
# reaching the limit locks that account / address out until the cool-off has passed or an
# operator runs ``manage.py unlock_account``. Counters live in the cache (Redis in production),
# never in the database: the database handler would store raw client IPs (SPEC §3).
AXES_HANDLER = "accounts.throttling.FailOpenCacheHandler"
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.float("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "accounts.throttling.login_name"
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.login_client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.throttling.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ADMIN = False  # nothing in the database to show; operators use unlock_account
AXES_DISABLE_ACCESS_LOG = True
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # The embedded default is one process: its local-memory cache is every request's cache.
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "axes.W001"]

# --- Email (tenant notices) -------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Stjarna <noreply@stjarna.example>")

# --- Product settings (SPEC §5, §6) -----------------------------------------------------------
USE_SERVER_CHAT = env.bool("USE_SERVER_CHAT", default=True)
MENU_CACHE_S_MAXAGE = env.int("MENU_CACHE_S_MAXAGE", default=60)
MENU_CACHE_STALE_WHILE_REVALIDATE = env.int("MENU_CACHE_STALE_WHILE_REVALIDATE", default=300)
# Lifetime of the server-side menu copy in Redis: changes renew it at once; this only bounds how
# long a renewal missed during a cache outage can linger.
MENU_CACHE_TIMEOUT = env.int("MENU_CACHE_TIMEOUT", default=300)
# Adds /bench/baseline, the minimal JSON view bench/menu.py compares the menu API with.
BENCH_BASELINE = env.bool("STJARNA_BENCH_BASELINE", default=False)
CHAT_RATE_LIMIT = env.str("CHAT_RATE_LIMIT", default="10/30s")
CHAT_BURST_LIMIT = env.str("CHAT_BURST_LIMIT", default="3/s")
CHAT_IP_RATE_LIMIT = env.str("CHAT_IP_RATE_LIMIT", default="60/30s")
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
CHAT_RETENTION_DAYS = env.int("CHAT_RETENTION_DAYS", default=90)
HEALTH_CHECK_TIMEOUT = env.float("HEALTH_CHECK_TIMEOUT", default=1.5)

# --- Operators: IP blocks and audit trail (docs/runbook.md) -------------------------------------
# How long each worker trusts its in-process copy of the block list before re-reading the shared
# cache: a new block reaches every worker within this many seconds.
BLOCKED_IP_REFRESH_SECONDS = env.float("BLOCKED_IP_REFRESH_SECONDS", default=2.0)
# The audit trail records who changed what, never from which address (no raw IPs stored).
AUDITLOG_DISABLE_REMOTE_ADDR = True
APP_VERSION = env.str("APP_VERSION", default="0.1.0")

# --- Widget (SPEC §8; docs/widget.md) ---------------------------------------------------------
WIDGET_MAX_AGE = env.int(
    "WIDGET_MAX_AGE", default=300
)  # Cache-Control max-age of /widget.js, ≤ 300
WIDGET_DEMO_PAGE = env.bool("WIDGET_DEMO_PAGE", default=DEBUG)  # the demo restaurant's site at /
WIDGET_BUILD_DIR = VAR_DIR / "widget"  # where the built panel is written for collectstatic
# Cached forever by whitenoise: manifest-hashed files (12 hex digits, as whitenoise's own test) and
# the widget panel, whose name is its own content hash (16 hex digits, widget/bundle.py).
WHITENOISE_IMMUTABLE_FILE_TEST = r"\.[0-9a-f]{12}\.\w+$|/widget-panel\.[0-9a-f]{16}\.js$"

# --- CORS (per restaurant; see tenants.cors) --------------------------------------------------
CORS_ALLOW_ALL_ORIGINS = False
CORS_URLS_REGEX = r"^/api/(public/menu|chat)$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS", "POST"]
CORS_PREFLIGHT_MAX_AGE = 86400

# --- Django REST framework --------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["stjarna_site.json_input.BoundedJSONParser"],
    "EXCEPTION_HANDLER": "stjarna_site.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

# --- Management API and OpenAPI schema (docs/menu-sync.md) -----------------------------------
API_KEY_RATE_LIMIT = env.str("API_KEY_RATE_LIMIT", default="120/m")  # per tenant API key
API_KEY_LAST_USED_EVERY = env.int("API_KEY_LAST_USED_EVERY", default=60)  # seconds between writes
SPECTACULAR_SETTINGS = {
    "TITLE": "Stjarna API",
    "DESCRIPTION": "Public menu and chat API for the widget; management API for tenants' systems.",
    "VERSION": APP_VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One schema enum for the 14 allergen codes (allergens and mayContain share it).
    "ENUM_NAME_OVERRIDES": {"AllergenEnum": "chat.engine.lexicon.ALLERGENS"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "stjarna_site.openapi.add_plain_django_endpoints",
    ],
}

# --- Logging (SPEC §10) -----------------------------------------------------------------------
LOG_FORMAT = env.str("LOG_FORMAT", default="console" if DEBUG else "json")
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING_CONFIG = None  # configured by stjarna_site.logging.configure_logging below
from stjarna_site.logging import configure_logging  # noqa: E402

configure_logging(log_format=LOG_FORMAT, level=LOG_LEVEL)
