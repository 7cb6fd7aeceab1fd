"""Footcare settings.

One module, read from the environment. The defaults suit development on a bare
machine (SQLite, console email, DEBUG on); production sets the variables the
README lists, and `manage.py check --deploy` is then silent.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FOOTCARE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    normalised = value.strip().lower()
    if normalised in {"1", "true", "yes", "on"}:
        return True
    if normalised in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def prepare_threshold(value: str | None) -> int | None:
    """DATABASE_PREPARE_THRESHOLD's value: how many runs of a statement on a connection
    before psycopg prepares it at the next (1 when unset: prepared at its second run); "none"
    never prepares."""
    value = (value or "").strip()
    if not value:
        return 1
    if value.lower() == "none":
        return None
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f'DATABASE_PREPARE_THRESHOLD must be a whole number or "none", not {value!r}.'
        ) from None


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: the prefix makes `check --deploy` flag it should it ever leak out.
    SECRET_KEY = "django-insecure-footcare-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Django's widget templates, for our form renderer (FORM_RENDERER below).
    "django.forms",
    "django_htmx",
    # Versions of every library change, for the admin's history, diffs and revert.
    "reversion",
    "allauth",
    "allauth.account",
    "footcare.accounts",
    "exercises",
    # Migrations only: its tables now belong to the three apps below (docs/architecture.md).
    "routines",
    "routines.plans",
    "routines.training",
    "routines.progress",
    "footcare.reminders",
    "footcare.sharing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Early: a visitor's library page comes from the cache without the rest (see the module).
    "exercises.middleware.VisitorPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "footcare.accounts.middleware.PrivatePagesMiddleware",
    # A runner's day is their own: the rest runs in their profile's time zone.
    "footcare.accounts.middleware.RunnerTimeZoneMiddleware",
    "footcare.accounts.middleware.EmailOutageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# Flash messages wait in the session, on the server: in the default cookie they travelled
# as readable base64, the runner's email address ("You are logged in as ...") included.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Every form draws its fields with templates/forms/field.html: help after the input, so a
# link in it comes after the input in the tab order.
FORM_RENDERER = "footcare.forms.FormRenderer"

ROOT_URLCONF = "footcare.urls"
WSGI_APPLICATION = "footcare.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The runner's name for the service worker, the theme colours.
                "footcare.offline.context",
            ],
        },
    },
]

# Database: DATABASE_URL picks it; an SQLite file in the git-ignored var/ otherwise.
if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'footcare.sqlite3'}",
        # Each worker keeps its connection, SQLite's too: opening one (with SQLite's PRAGMAs
        # below) and closing it cost about 2 ms of every request there, a quarter of a small
        # signed-in page. An idle SQLite connection holds no snapshot, so WAL checkpoints
        # still run to the end.
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside a writer; IMMEDIATE takes the write lock at BEGIN, so a
    # second writer waits out the busy timeout instead of failing mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file too, not memory: the live server of the browser tests then gives each
    # request thread its own connection, as in production, instead of sharing the test's one
    # (a page and the fragment it loads, drawn at once on one connection, mixed their rows).
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-footcare.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that stops answering must not hold every worker until gunicorn kills it:
    # connecting gives up after DATABASE_CONNECT_TIMEOUT seconds (psycopg's floor is 2), a
    # statement after DATABASE_STATEMENT_TIMEOUT_MS, and the page answers the styled 503.
    # Give `manage.py migrate` DATABASE_STATEMENT_TIMEOUT_MS=0 (no limit) for long migrations.
    # A connection that goes silent (the server's machine gone, a network cut) answers no
    # statement timeout: TCP keepalives probe an idle or waiting connection after 3 s, once a
    # second, and give up after 2 unanswered probes; data sent and never acknowledged gives up
    # after DATABASE_TCP_USER_TIMEOUT_MS. Either way the page answers the 503 in seconds
    # instead of holding the worker until gunicorn kills it (issue 29's load test).
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "connect_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 3),
        "options": f"-c statement_timeout={env_int('DATABASE_STATEMENT_TIMEOUT_MS', 5000)}",
        "keepalives": 1,
        "keepalives_idle": 3,
        "keepalives_interval": 1,
        "keepalives_count": 2,
        "tcp_user_timeout": env_int("DATABASE_TCP_USER_TIMEOUT_MS", 5000),
        # Parameters bound by the server, and a statement run a second time on a connection
        # prepared (psycopg's prepared statements; Django's OPTIONS for them): PostgreSQL
        # then plans each of a page's queries once per connection, not on every request.
        # Planning was most of a small query's time here (0.3 to 0.5 ms of 0.5 to 0.8 ms).
        # DATABASE_PREPARE_THRESHOLD=none turns preparing off, for a pooler in transaction
        # mode that cannot keep prepared statements (PgBouncer without max_prepared_statements)
        # and while a migration changes a column's type under running workers (README).
        "server_side_binding": True,
        "prepare_threshold": prepare_threshold(os.environ.get("DATABASE_PREPARE_THRESHOLD")),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches back the login throttling, so every app process must share them: Redis when
# REDIS_URL is set, otherwise a table in the database (never per-process memory).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "footcare",
            # Fail fast when Redis is down or silent: the page then answers "try again
            # shortly" (a 503) instead of waiting on it.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "footcare_cache",
        }
    }

AUTH_USER_MODEL = "accounts.User"
# Sessions in the database, each knowing its user, so that deleting an account deletes
# its sessions on every device (footcare.accounts.models.RunnerSession).
SESSION_ENGINE = "footcare.accounts.sessions"
# allauth's backend only: every password check goes through its adapter, which applies the
# failed-login throttling, so no second login path (the admin's, say) can skip it. RunnerBackend
# is allauth's, reading the profile with the user in one query; allauth's own stays listed
# after it only for sessions begun before, and never checks a password (see the module).
AUTHENTICATION_BACKENDS = [
    "footcare.accounts.backends.RunnerBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts through django-allauth: the email address is the login, there is no username.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# allauth's error messages (footcare/accounts/adapter.py) and forms' labels (forms.py) in
# our words.
ACCOUNT_ADAPTER = "footcare.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "footcare.accounts.forms.LoginForm",
    "signup": "footcare.accounts.forms.SignupForm",
    "confirm_email_verification_code": "footcare.accounts.forms.ConfirmEmailVerificationCodeForm",
    "change_email": "footcare.accounts.forms.ChangeEmailForm",
    "add_email": "footcare.accounts.forms.AddEmailForm",
    "change_password": "footcare.accounts.forms.ChangePasswordForm",
    "reauthenticate": "footcare.accounts.forms.ReauthenticateForm",
    "reset_password": "footcare.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "footcare.accounts.forms.ResetPasswordKeyForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Signup must not reveal whether an address has an account. allauth can only promise that
# when verification is mandatory: a known address then gets an "you already have an
# account" email and the same "enter the code we sent" page as a new one. A code typed
# into the open tab (rather than a link) keeps a new runner in the page they signed up on.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
# "Send a new code" on the code page: twice per code, and at most one email to an address
# every 10 seconds (allauth's confirm_email limit).
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_CHANGE_EMAIL = True
# A session alone must not be enough to take the account: changing the address asks for the
# password again unless it was typed in the last 5 minutes (allauth's reauthentication). The
# password change and deletion forms ask for the current password themselves.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_SIGNUP_REDIRECT_URL = "accounts:profile"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Footcare] "
# Tell the runner by email when their password or address changes, so a change they did
# not make does not go unnoticed.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Failed logins, counted in the shared cache above. Per address: 5 failures in 15 minutes
# lock that account for what is left of the 15 minutes (a sliding window). Per client IP:
# 20 failures in 15 minutes, enough for a household or an office behind one address to
# mistype, far too few to try passwords across accounts.
ACCOUNT_RATE_LIMITS = {"login_failed": "20/15m/ip,5/15m/key"}
# Behind proxies, the client address is the Nth entry from the right of X-Forwarded-For;
# without this every runner would share the proxy's address, and its failure counter.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Static files: whitenoise serves them; hashed and compressed when DEBUG is off.
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads (exercise pictures): files under MEDIA_ROOT by default; an S3-compatible bucket
# through django-storages when MEDIA_BUCKET is set. Every upload gets a fresh random name
# (exercises.models.picture_upload_to), so whatever serves MEDIA_URL may cache for a year.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable"
MEDIA_BUCKET = os.environ.get("MEDIA_BUCKET", "")
if MEDIA_BUCKET:
    media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_BUCKET,
            # Any S3-compatible service: its endpoint, region and a public domain (a CDN).
            "endpoint_url": os.environ.get("MEDIA_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_REGION") or None,
            "custom_domain": os.environ.get("MEDIA_CUSTOM_DOMAIN") or None,
            "location": os.environ.get("MEDIA_LOCATION", "media"),
            # Public pictures with plain, unsigned addresses that never change.
            "querystring_auth": False,
            "default_acl": None,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": MEDIA_CACHE_CONTROL},
        },
    }
    # Credentials from the environment as boto3 reads them (AWS_ACCESS_KEY_ID,
    # AWS_SECRET_ACCESS_KEY), or the machine's role.
    options = media_storage["OPTIONS"]
    if options["custom_domain"]:
        MEDIA_ORIGINS = [f"https://{options['custom_domain']}"]
    elif options["endpoint_url"]:
        MEDIA_ORIGINS = [options["endpoint_url"].rstrip("/")]
    else:
        MEDIA_ORIGINS = [f"https://{MEDIA_BUCKET}.s3.amazonaws.com"]
        if options["region_name"]:
            MEDIA_ORIGINS.append(
                f"https://{MEDIA_BUCKET}.s3.{options['region_name']}.amazonaws.com"
            )
else:
    MEDIA_ORIGINS = []
    media_storage = {
        "BACKEND": os.environ.get(
            "MEDIA_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
    }
# Pictures an editor uploads are at most 10 MB (exercises.pictures); Django keeps uploads
# over this in a temporary file rather than memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
STORAGES = {
    "default": media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# Content Security Policy, enforced: our own files only, scripts by nonce, no inline style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    # Pictures from the media bucket's own address when uploads live there.
    "img-src": [CSP.SELF, "data:", *MEDIA_ORIGINS],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
}

# Behind a proxy that terminates TLS and sets X-Forwarded-Proto.
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# The load balancer's health probe speaks plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Email: printed to the console in development; SMTP once EMAIL_HOST is set.
email_host = os.environ.get("EMAIL_HOST", "")
if email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": email_host,
                "port": env_int("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                # Seconds to wait for the mail server: a runner waits this long for the
                # "we could not send the email" page when it is down (or silent).
                "timeout": env_int("EMAIL_TIMEOUT", 5),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
# Where the site is, for links in emails sent outside a request (reminders): by default
# the development server, or the first of ALLOWED_HOSTS over https.
SITE_URL = os.environ.get("SITE_URL") or (
    "http://127.0.0.1:8000" if DEBUG else f"https://{(ALLOWED_HOSTS or ['localhost'])[0]}"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Footcare <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
