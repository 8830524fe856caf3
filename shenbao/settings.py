"""shenbao settings: one module, configured from the environment.

Local runs need nothing set: SQLite under var/, a secret key generated once into var/.
Production (SHENBAO_ENV=production) reads everything from the environment and refuses
to start with an unsafe configuration.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SHENBAO_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

ENVIRONMENT = os.environ.get("SHENBAO_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
if ENVIRONMENT not in ("development", "production"):
    raise ImproperlyConfigured(f"SHENBAO_ENV must be development or production, not {ENVIRONMENT!r}")


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _local_secret_key() -> str:
    """A key generated once per checkout and kept out of the repository (var/ is ignored)."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


if PRODUCTION:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("Production needs SECRET_KEY in the environment, 50 characters or more.")
    ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Production needs ALLOWED_HOSTS, e.g. ALLOWED_HOSTS=shenbao.example.gov.cn")
    DEBUG = False
else:
    SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
    ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
    DEBUG = os.environ.get("DEBUG", "1") == "1"

INSTALLED_APPS = [
    "accounts",
    "audit",
    "backups",
    "regions",
    "calls",
    "applications",
    "documents",
    "reviews",
    "dashboards",
    "authoring",
    "notifications",
    "portal",
    "security",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
FORM_RENDERER = "portal.forms.ShenbaoFormRenderer"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks request.user verified once the second factor (动态口令) is passed; see docs/two-factor.md.
    "django_otp.middleware.OTPMiddleware",
    # After authentication: audit.log.record() reads the request (user, IP, user agent) from here.
    "audit.middleware.CurrentRequestMiddleware",
    # Every 403, 404 and 405 answered below this line is an audit entry (拒绝访问), folded against floods.
    "audit.refusals.RefusalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A version whose pinned schema revision is gone is refused with a page that says so.
    "calls.middleware.RevisionMissingMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    # The second factor before the forced password change: a password alone may not set a new one.
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shenbao.urls"
WSGI_APPLICATION = "shenbao.wsgi.application"

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
                "portal.context_processors.navigation",
                "accounts.context_processors.unread",
            ],
            # 还剩 N 天, 已等待 N 天 and sizes in KB/MB, the same on every page without {% load %}.
            "builtins": ["shenbao.lib.display"],
        },
    },
]

# --- Database: SQLite in WAL mode by default, PostgreSQL through DATABASE_URL ---
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiles any query the planner costs highly, and the dashboards' grouped
        # queries over 10,000 applications spent ~50 ms compiling to run in less (docs/performance.md).
        # A URL's own ?options= wins.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "shenbao.sqlite3",
            "OPTIONS": {
                # WAL lets readers and one writer work at once; IMMEDIATE takes the write lock
                # at BEGIN, so concurrent autosaves queue instead of failing with "database is locked".
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Tests use a file too (one per test run), not an in-memory database: WAL and IMMEDIATE
            # then work as deployed, and live-server threads and child processes open connections of
            # their own (tests/reliability).
            "TEST": {"NAME": VAR_DIR / f"test-{os.getpid()}.sqlite3"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and login security (等保 三级, application level) ---
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# The second factor (docs/two-factor.md): the name authenticator apps show beside the account.
OTP_TOTP_ISSUER = "内蒙古先进制造业集群申报"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Django's validators with Chinese sentences that say what to change (accounts/validators.py): Django 5.2's
# "too short" has no zh-hans translation, so its own came out in English.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "accounts.validators.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.CommonPasswordValidator"},
    # Also keeps the history it checks: Django calls its password_changed() when a new password is saved.
    {"NAME": "accounts.validators.NotRecentlyUsedValidator"},
]
# 等保 三级: passwords expire (the middleware forces a change) and the last few may not be reused.
SHENBAO_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("SHENBAO_PASSWORD_MAX_AGE_DAYS", "90"))
SHENBAO_PASSWORD_HISTORY = int(os.environ.get("SHENBAO_PASSWORD_HISTORY", "5"))
if SHENBAO_PASSWORD_MAX_AGE_DAYS < 1 or SHENBAO_PASSWORD_HISTORY < 1:
    raise ImproperlyConfigured("SHENBAO_PASSWORD_MAX_AGE_DAYS and SHENBAO_PASSWORD_HISTORY must be 1 or more.")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend that refuses is_superuser/is_staff accounts in production (三员分立).
    "security.backends.ShenbaoModelBackend",
]

# Five failed logins lock the account (not the address) for 30 minutes. These two are the defaults of
# the runtime security policy (security.models.SecurityPolicy), which the 安全管理员 changes at /security/;
# axes reads the policy in force through the callables below.
SHENBAO_LOGIN_FAILURE_LIMIT = int(os.environ.get("SHENBAO_LOGIN_FAILURE_LIMIT", "5"))
SHENBAO_LOCKOUT_MINUTES = int(os.environ.get("SHENBAO_LOCKOUT_MINUTES", "30"))
AXES_FAILURE_LIMIT = "security.policy.axes_failure_limit"
AXES_COOLOFF_TIME = "security.policy.axes_cooloff_time"
AXES_LOCKOUT_PARAMETERS = ["username"]
# A 统一社会信用代码 typed lower-case, full-width or spaced signs in as the stored code, and its failures count
# toward the same lock (accounts.validators.login_name); staff names are taken as typed.
AXES_USERNAME_CALLABLE = "accounts.validators.axes_username"
# Locking by address too would lock out a whole 盟市 office behind one NAT address after a few typos;
# 等保 asks for the account to be locked, which is what this does.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.login.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Registration is throttled per client address (shenbao/lib/throttle.py, docs/security.md "注册与登录"): within
# an hour, at most this many accounts made and this many registration forms posted. The counters live in the
# cache, so several app servers need the shared Redis (REDIS_URL) for the limits to hold across them.
SHENBAO_REGISTRATIONS_PER_HOUR = int(os.environ.get("SHENBAO_REGISTRATIONS_PER_HOUR", "3"))
SHENBAO_REGISTRATION_ATTEMPTS_PER_HOUR = int(os.environ.get("SHENBAO_REGISTRATION_ATTEMPTS_PER_HOUR", "10"))
if not 1 <= SHENBAO_REGISTRATIONS_PER_HOUR <= SHENBAO_REGISTRATION_ATTEMPTS_PER_HOUR:
    raise ImproperlyConfigured(
        "SHENBAO_REGISTRATIONS_PER_HOUR must be 1 or more and at most SHENBAO_REGISTRATION_ATTEMPTS_PER_HOUR."
    )
# 异议 sent from the public 公示 page (reviews/objections.py), per client address and hour, like registration.
SHENBAO_OBJECTIONS_PER_HOUR = int(os.environ.get("SHENBAO_OBJECTIONS_PER_HOUR", "5"))
if SHENBAO_OBJECTIONS_PER_HOUR < 1:
    raise ImproperlyConfigured("SHENBAO_OBJECTIONS_PER_HOUR must be 1 or more.")
# Who takes 异议 on paper, printed on the public 公示 page and in the 公示 text (docs/reviews.md, 公示).
SHENBAO_OBJECTION_DEPARTMENT = os.environ.get("SHENBAO_OBJECTION_DEPARTMENT", "内蒙古自治区工业和信息化厅")
SHENBAO_OBJECTION_PHONE = os.environ.get("SHENBAO_OBJECTION_PHONE", "")
SHENBAO_OBJECTION_ADDRESS = os.environ.get("SHENBAO_OBJECTION_ADDRESS", "")
# Trusted reverse proxies in front (nginx: 1): the client address axes and the audit log record is read
# from X-Forwarded-For past them (shenbao/lib/client_ip.py), not the proxy's own address.
SHENBAO_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "shenbao.lib.client_ip.client_ip"

# The hash-chained audit log (docs/audit.md): entries younger than this are never pruned; 等保 asks ≥ 180 days.
# 随机抽取 (reviews/draws.py): the default cap on an expert's open tasks; the draw form may change it per draw.
SHENBAO_EXPERT_WORKLOAD_CAP = int(os.environ.get("SHENBAO_EXPERT_WORKLOAD_CAP", "5"))
SHENBAO_AUDIT_RETENTION_DAYS = int(os.environ.get("SHENBAO_AUDIT_RETENTION_DAYS", "180"))
if SHENBAO_AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured("SHENBAO_AUDIT_RETENTION_DAYS must be 180 or more (等保 三级).")
# Refused access (audit/refusals.py): one entry per kind, user (or address) and path in each window, the
# repeats counted into the next; at most CEILING entries per user (or address) a window, then one flood entry.
SHENBAO_AUDIT_REFUSAL_WINDOW = int(os.environ.get("SHENBAO_AUDIT_REFUSAL_WINDOW", "600"))
SHENBAO_AUDIT_REFUSAL_CEILING = int(os.environ.get("SHENBAO_AUDIT_REFUSAL_CEILING", "30"))
if SHENBAO_AUDIT_REFUSAL_WINDOW < 1 or SHENBAO_AUDIT_REFUSAL_CEILING < 1:
    raise ImproperlyConfigured("SHENBAO_AUDIT_REFUSAL_WINDOW and SHENBAO_AUDIT_REFUSAL_CEILING must be 1 or more.")

# Idle sessions end after 30 minutes without a request; the cookie itself lasts a working day.
SESSION_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "30")))
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

# --- Security headers: CSP with no inline script or style ---
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")

# --- Cache and sessions: in this process and the database by default; Redis when several app servers share them ---
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,  # redis://[:password@]host:6379/0, rediss:// for TLS
            "KEY_PREFIX": os.environ.get("SHENBAO_CACHE_PREFIX", "shenbao"),
            # A Redis that stops answering fails the request in seconds, not at the proxy's timeout.
            "OPTIONS": {"socket_connect_timeout": 5, "socket_timeout": 5},
        }
    }
    # Sessions are read from Redis and written through to the database: a Redis restart or eviction
    # signs nobody out, and Redis needs no persistence of its own (docs/deployment.md).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Language and time ---
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
# A date a template prints without a format reads 2024-05-31 (17:00), as the ones with a format do: the
# locale's own formats win over DATE_FORMAT, so ours are a locale format module (shenbao/formats/zh_Hans).
FORMAT_MODULE_PATH = ["shenbao.formats"]
USE_I18N = True
USE_TZ = True

# --- Static files: vendored, served by whitenoise, no CDN ---
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# collectstatic fills this for production; locally whitenoise serves straight from the finders.
STATIC_ROOT = BASE_DIR / "staticfiles" if PRODUCTION else None
# Uploaded and generated files: a local folder (SHENBAO_MEDIA_ROOT) for one server; S3-compatible object
# storage (AWS S3, MinIO, a cloud's OSS/COS) when several app servers share them (docs/deployment.md).
SHENBAO_STORAGE = os.environ.get("SHENBAO_STORAGE") or ("s3" if os.environ.get("AWS_STORAGE_BUCKET_NAME") else "local")
if SHENBAO_STORAGE == "local":
    _FILE_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif SHENBAO_STORAGE == "s3":
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("SHENBAO_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME, the bucket that holds the files.")
    _FILE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        # Keys come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment (or the host's role),
        # read by boto3 itself: never from this repository.
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,  # MinIO: http://minio:9000
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "location": os.environ.get("AWS_LOCATION", ""),  # a key prefix, when the bucket is shared
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,  # "path" for most MinIO setups
            "signature_version": "s3v4",
            # Private objects: files leave only through the download views, after accounts/scoping.py has
            # allowed them, streamed by Django; no view hands out a bucket URL. Should one ever be made,
            # it is signed and lasts five minutes.
            "default_acl": os.environ.get("AWS_DEFAULT_ACL", "private") or None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            # A download is fetched into a temporary file before it is streamed: in memory up to 5 MB, on
            # disk beyond, so a 100 MB attachment does not sit in a worker's memory.
            "max_memory_size": 5 * 1024 * 1024,
        },
    }
else:
    raise ImproperlyConfigured(f"SHENBAO_STORAGE must be local or s3, not {SHENBAO_STORAGE!r}")
STORAGES = {
    "default": _FILE_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("SHENBAO_MEDIA_ROOT", VAR_DIR / "media"))
WHITENOISE_USE_FINDERS = not PRODUCTION
# Uploaded evidence: each file at most this size (20 MB by default); types are checked by content.
SHENBAO_UPLOAD_MAX_BYTES = int(os.environ.get("SHENBAO_UPLOAD_MAX_MB", "20")) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Form and JSON bodies other than files (an autosave, a form post): refused above 2.5 MB, field count capped.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# Excel workbooks uploaded for import: size, unpacked size and compression ratio caps (zip bombs).
SHENBAO_WORKBOOK_MAX_BYTES = int(os.environ.get("SHENBAO_WORKBOOK_MAX_MB", "5")) * 1024 * 1024
SHENBAO_WORKBOOK_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
SHENBAO_WORKBOOK_MAX_RATIO = 100
# The public address printed in documents' QR codes, which open /verify/<code>/ from a phone.
SHENBAO_SITE_URL = os.environ.get("SHENBAO_SITE_URL", "")
if not SHENBAO_SITE_URL:
    if not PRODUCTION:
        SHENBAO_SITE_URL = "http://127.0.0.1:8000"
    elif ALLOWED_HOSTS[0].startswith(".") or "*" in ALLOWED_HOSTS[0]:
        # A wildcard is no address to print on paper: every QR code would lead nowhere.
        raise ImproperlyConfigured("Production needs SHENBAO_SITE_URL, e.g. https://shenbao.example.gov.cn")
    else:
        SHENBAO_SITE_URL = f"https://{ALLOWED_HOSTS[0]}"

# The PAdES signature on the official PDF of every submitted version (documents/signing.py): PEM files of
# the private key and its certificate, an optional passphrase, and optional intermediate certificates.
# Development uses the demo pair `manage.py make_signing_certificate` writes under var/signing/; production
# names its own, and the system check documents.E001 stops it while they cannot be read.
_DEMO_SIGNING = VAR_DIR / "signing"
SHENBAO_SIGNING_KEY = os.environ.get("SHENBAO_SIGNING_KEY", "" if PRODUCTION else str(_DEMO_SIGNING / "key.pem"))
SHENBAO_SIGNING_CERT = os.environ.get("SHENBAO_SIGNING_CERT", "" if PRODUCTION else str(_DEMO_SIGNING / "cert.pem"))
SHENBAO_SIGNING_KEY_PASSPHRASE = os.environ.get("SHENBAO_SIGNING_KEY_PASSPHRASE", "")
SHENBAO_SIGNING_CHAIN = os.environ.get("SHENBAO_SIGNING_CHAIN", "")

# --- E-mail: console by default, SMTP by setting ---
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
EMAIL_TIMEOUT = 10  # seconds: a slow mail server must not hold a request for long
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "shenbao@localhost")
# Text messages: a class implementing notifications.sms.SmsSender; the default only writes to the log.
SHENBAO_SMS_SENDER = os.environ.get("SHENBAO_SMS_SENDER", "notifications.sms.LoggingSender")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")},
    # Refused requests (403/404) are expected traffic, not errors; server errors are still logged.
    "loggers": {"django.request": {"level": "ERROR"}, "notifications": {"level": "INFO"}},
}

PLATFORM_NAME = "内蒙古自治区先进制造业集群申报平台"
PLATFORM_OWNER = "内蒙古自治区工业和信息化厅"
# The footer every page carries, as Chinese government sites do (docs/deployment.md). A line left empty is
# not shown; the ICP 备案号 links to the MIIT's register, the 公网安备 number to the MPS's.
SHENBAO_FOOTER = {
    "owner": os.environ.get("SHENBAO_FOOTER_OWNER", PLATFORM_OWNER),  # 主办单位
    "phone": os.environ.get("SHENBAO_FOOTER_PHONE", ""),  # 联系电话
    "support": os.environ.get("SHENBAO_FOOTER_SUPPORT", ""),  # 技术支持
    "icp": os.environ.get("SHENBAO_FOOTER_ICP", ""),  # ICP 备案号, e.g. 蒙ICP备12345678号
    "police": os.environ.get("SHENBAO_FOOTER_POLICE", ""),  # 公网安备, e.g. 蒙公网安备 15010202000001号
}
