"""Settings for the EMS training school site.

Everything that differs between machines comes from the environment (see
docs/deployment.md for the full list). The defaults are safe: DEBUG is off,
and without DEBUG the process refuses to start unless DJANGO_SECRET_KEY is set.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DEBUG off the site needs a secret key of its own: "
            "set DJANGO_SECRET_KEY to a long random string (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`), "
            "or set DJANGO_DEBUG=1 for local development."
        )
    # Development only: a fixed, clearly insecure key so that sessions survive restarts.
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Staff sign in at the admin; after signing in (or with an unsafe ?next=), they land on its front page.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

INSTALLED_APPS = [
    "emsprogram.apps.SchoolAdminConfig",  # django.contrib.admin with the school's site (emsprogram/adminsite.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks_db",
    "axes",
    "django_otp",  # the second sign-in factor (staffauth)
    "django_otp.plugins.otp_totp",
    "sitetools",
    "emsprogram",
    "roles",
    "enrollment",
    "infosessions",  # after enrollment: its post_migrate handler completes the staff groups enrollment's makes
    "staffauth",
    "sitepages",
    "reports",  # Admissions' figures, in the admin (/admin/reports/)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "emsprogram.middleware.SecurityHeadersMiddleware",
    "emsprogram.middleware.RefuseNulCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sitetools.pagecache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Whether the session passed the second factor; without it, staff who need one are not signed in.
    "django_otp.middleware.OTPMiddleware",
    "staffauth.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "emsprogram.urls"

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
                "django.template.context_processors.csp",
                "emsprogram.context_processors.school",
            ],
        },
    },
]

WSGI_APPLICATION = "emsprogram.wsgi.application"
ASGI_APPLICATION = "emsprogram.asgi.application"

# Database: an SQLite file in the project folder unless DATABASE_URL says otherwise.
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # Writers queue up on the database lock instead of failing with
            # "database is locked" when a transaction upgrades from read to write.
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_TIMEOUT", default=30),
            "init_command": ("PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"),
        }
    )
    # The test database is a file, not the default in-memory one: in its shared cache concurrent writers
    # fail at once ("database table is locked") instead of queueing on the lock, and the seat-allocation
    # concurrency test needs them to queue as in production. One file per test process, in the temp dir.
    DATABASES["default"].setdefault("TEST", {}).setdefault(
        "NAME", str(Path(tempfile.gettempdir()) / f"emsprogram-test-{os.getpid()}.sqlite3")
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default; Redis when REDIS_URL is set, so that rate
# limits and cached pages are shared by every app server. The site works without it
# (pages uncached, rate limits per process): a Redis that is down or does not answer
# costs one short timeout per CACHE_BREAKER_SECONDS in each process (emsprogram/cache.py).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    _redis_timeout = env.float("REDIS_TIMEOUT_SECONDS", default=0.5)
    CACHES = {
        "default": {
            "BACKEND": "emsprogram.cache.FailFastRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="emsprogram"),
            "TIMEOUT": 300,
            "OPTIONS": {
                "socket_connect_timeout": _redis_timeout,
                "socket_timeout": _redis_timeout,
                "BREAKER_SECONDS": env.float("CACHE_BREAKER_SECONDS", default=5),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "emsprogram",
        }
    }

# Anonymous GETs of public content pages are cached this long (0 turns the page cache off);
# any save of content or of an application invalidates them at once (sitetools/pagecache.py).
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=600)


AUTHENTICATION_BACKENDS = [
    # Refuses logins from a locked-out account or address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Brute-force protection of the staff login (django-axes): after AXES_FAILURE_LIMIT failed
# attempts for one account from one address, that account is refused from that address for the
# cool-off; the same account from elsewhere, and other people behind the same address, still sign in.
# The address is the one the rate limit uses (the proxy's X-Forwarded-For entry with DJANGO_BEHIND_PROXY).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "enrollment.ratelimit.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "emsprogram.views.login_locked_out"
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2", "code"]  # "code": the second factor's step
AXES_VERBOSE = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Applicants' documents (enrollment.Document): a private storage, never served as a static or media URL; staff
# download them through a permission-checked view. The local file system by default (outside the static root);
# in production an S3-compatible bucket through django-storages (docs/deployment.md).
DOCUMENTS_STORAGE = env.str("DOCUMENTS_STORAGE", default="local")
if DOCUMENTS_STORAGE == "s3":
    STORAGES["documents"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("DOCUMENTS_S3_BUCKET"),
            "endpoint_url": env.str("DOCUMENTS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("DOCUMENTS_S3_REGION", default=None),
            "location": env.str("DOCUMENTS_S3_PREFIX", default="documents"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": "AES256"},
        },
    }
else:
    STORAGES["documents"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env.path("DOCUMENTS_ROOT", default=BASE_DIR / "private" / "documents"),
            "base_url": "/no-public-url/",
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_MEGABYTES", default=10) * 1024 * 1024

WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365 if not DEBUG else 0

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: printed to the console unless an SMTP server is configured.
EMAIL_HOST = env.str("EMAIL_HOST", default="")

# Background tasks (the e-mails; enrollment/outbox.py). With a real mail server no request may wait for
# it, so the default is then the database backend (django-tasks-db): the e-mail's task is written with the
# submission and sent by the worker, `manage.py db_worker` (`make worker`). Without one (development,
# tests) the immediate backend sends to the console right after the commit.
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND",
            default=(
                "django_tasks_db.DatabaseBackend"
                if EMAIL_HOST
                else "django.tasks.backends.immediate.ImmediateBackend"
            ),
        ),
    }
}
# A failed e-mail is tried again after each of these delays (minutes), then given up and shown to staff.
EMAIL_RETRY_MINUTES = env.list("EMAIL_RETRY_MINUTES", cast=int, default=[1, 5, 15, 60, 180, 360, 720])
_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
_mailer = {
    "BACKEND": env.str(
        "DJANGO_EMAIL_BACKEND",
        default=_SMTP_BACKEND if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
    )
}
# The server's options go to the SMTP backend only: another backend (DJANGO_EMAIL_BACKEND) refuses them.
if EMAIL_HOST and _mailer["BACKEND"] == _SMTP_BACKEND:
    _mailer["OPTIONS"] = {
        "host": EMAIL_HOST,
        "port": env.int("EMAIL_PORT", default=587),
        "username": env.str("EMAIL_HOST_USER", default=""),
        "password": env.str("EMAIL_HOST_PASSWORD", default=""),
        "use_tls": env.bool("EMAIL_USE_TLS", default=True),
        "timeout": env.int("EMAIL_TIMEOUT", default=10),
    }
MAILERS = {"default": _mailer}
del EMAIL_HOST
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Northfield EMS Academy <admissions@example.org>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# The school. The demo school is fictional: every detail can be changed here
# without touching a template.
SCHOOL = {
    "NAME": env.str("SCHOOL_NAME", default="Northfield EMS Academy"),
    "TAGLINE": env.str(
        "SCHOOL_TAGLINE", default="Emergency medical training, from first responder to paramedic"
    ),
    "STREET": env.str("SCHOOL_STREET", default="120 Harbor Road"),
    "CITY": env.str("SCHOOL_CITY", default="Northfield"),
    "REGION": env.str("SCHOOL_REGION", default="MA"),
    "POSTAL_CODE": env.str("SCHOOL_POSTAL_CODE", default="01360"),
    "COUNTRY": env.str("SCHOOL_COUNTRY", default="US"),
    "PHONE": env.str("SCHOOL_PHONE", default="+1 555 010 0199"),
    "EMAIL": env.str("SCHOOL_EMAIL", default="info@example.org"),
    "ADMISSIONS_EMAIL": env.str("SCHOOL_ADMISSIONS_EMAIL", default="admissions@example.org"),
    "OFFICE_HOURS": env.str("SCHOOL_OFFICE_HOURS", default="Monday to Friday, 9 am to 5 pm"),
}


def _lines(name: str, default: list[str]) -> list[str]:
    """A list statement from the environment: one item per line of the variable (blank lines ignored)."""
    value = env.str(name, default="")
    return [line.strip() for line in value.splitlines() if line.strip()] or default


# The school's own statements: its approval and accreditation, how to pay, its refund policy and terms.
# They are the school's policy, not law, and are shown on the pages about them (sitepages/) and where the
# question arises (program pages, the apply form). Each can be changed through the environment without
# touching a template; the defaults are the fictional demo school's. Amounts are program data (the admin).
SCHOOL_STATEMENTS = {
    # The state whose EMS office licenses the school's graduates, and that office's name; with no state set,
    # the pages say "your state EMS office".
    "STATE": env.str("SCHOOL_STATE", default="Massachusetts"),
    "STATE_EMS_OFFICE": env.str(
        "SCHOOL_STATE_EMS_OFFICE",
        default="the Office of Emergency Medical Services (OEMS) of the Massachusetts Department of Public Health",
    ),
    "APPROVAL": env.str(
        "SCHOOL_APPROVAL",
        default=(
            "Our EMR, EMT and Advanced EMT courses are approved by the Massachusetts Office of Emergency "
            "Medical Services, which reviews each course against the national EMS education standards "
            "before it may run."
        ),
    ),
    "ACCREDITATION": env.str(
        "SCHOOL_ACCREDITATION",
        default=(
            "Our Paramedic program holds a Letter of Review from CoAEMSP (the Committee on Accreditation of "
            "Educational Programs for the EMS Professions), the stage before full CAAHEP accreditation. "
            "Students who complete it may sit the NREMT paramedic exam, as graduates of accredited programs do."
        ),
    ),
    "DEPOSIT": env.str(
        "SCHOOL_DEPOSIT_TERMS",
        default=(
            "Pay the deposit within 10 days of our seat offer to confirm your seat. It is part of the "
            "tuition, not an extra charge."
        ),
    ),
    "BALANCE": env.str(
        "SCHOOL_BALANCE_TERMS",
        default="The rest is due two weeks before the first class, unless you join the payment plan.",
    ),
    "PAYMENT_PLAN": env.str(
        "SCHOOL_PAYMENT_PLAN",
        default=(
            "Rather pay as you go? The payment plan splits the rest into equal monthly payments that end "
            "before the course does, with no interest and no fee. Admissions sets it up with you."
        ),
    ),
    "EMPLOYER_SPONSORSHIP": env.str(
        "SCHOOL_EMPLOYER_SPONSORSHIP",
        default=(
            "Many ambulance services pay for the EMT course of the people they hire. If an employer sponsors "
            "you, we invoice them directly; ask us for a letter describing the course for them."
        ),
    ),
    "FUNDING": env.str(
        "SCHOOL_FUNDING",
        default=(
            "Education benefits for veterans, and grants for workforce training (WIOA), can pay for a course "
            "that is approved for them. Approval goes course by course, so ask us whether yours is approved before "
            "you count on it."
        ),
    ),
    "REFUND_POLICY": _lines(
        "SCHOOL_REFUND_POLICY",
        [
            "Changed your mind within 3 working days of paying the deposit? We refund everything you paid, "
            "deposit included.",
            "If you withdraw later but before the first class, we refund everything except the deposit.",
            "If you withdraw before a quarter of the course hours have gone by, we refund half of the tuition "
            "paid beyond the deposit. After that, tuition is not refunded.",
            "Books, uniforms and kit you have received are yours to keep and are not refunded. Fees you paid "
            "to others (the NREMT, the state, a background-check company) follow their own rules.",
            "If we cancel or move a course start, you choose: all your money back, deposit included, or a "
            "seat on another start.",
            "Ask for a refund by e-mail to admissions. We pay it back the way you paid, within 30 days.",
        ],
    ),
    "TERMS": _lines(
        "SCHOOL_TERMS",
        [
            "This site describes our courses as we plan them. We confirm the dates, the cost and the "
            "requirements in writing when we offer you a seat.",
            "Certification and licensing rules belong to the NREMT and to each state, and they change. What "
            "we write about them is guidance, not legal advice: check with the NREMT and your state EMS office.",
            "Your place on a course is governed by the enrollment agreement you sign before it starts, which "
            "includes the refund policy on this site.",
            "Please send no medical or payment details through the forms on this site: we will ask for what "
            "we need in a safer way.",
        ],
    ),
}
# --- Staff sign-in: the second factor (staffauth/, docs/decisions.md) -------------------------------------
# Superusers, and staff whose groups require it (both staff groups by default; a group's rule is on its
# admin page), sign in with their password and then a code from an authenticator app (TOTP, django-otp)
# or a single-use recovery code. A first sign-in sets up the app. A wrong code counts as a failed sign-in
# for django-axes (the lockout above), like a wrong password.
OTP_TOTP_ISSUER = SCHOOL["NAME"]  # the account's name in the authenticator app
# After a wrong code, the next is checked only after 1, 2, 4… seconds (per account, whatever the address).
OTP_TOTP_THROTTLE_FACTOR = env.int("OTP_TOTP_THROTTLE_FACTOR", default=1)
# Time allowed between the password and the code (enrolling the app included), in seconds.
STAFFAUTH_SIGN_IN_SECONDS = env.int("STAFFAUTH_SIGN_IN_SECONDS", default=600)
STAFFAUTH_RECOVERY_CODES = 10  # made at enrolment, each usable once, stored hashed
# --- end of the second factor -------------------------------------------------------------------------

# The public address of the site, used in e-mails, canonical links and the sitemap.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Security. Production values are the defaults whenever DEBUG is off; each
# can be changed through the environment (for example behind a proxy that
# already redirects to HTTPS).
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("DJANGO_BEHIND_PROXY", default=False) else None
)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

SECURE_COOKIES = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
CSRF_FAILURE_VIEW = "emsprogram.views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The __Host- prefix pins a cookie to this host and path; browsers accept it only on Secure cookies.
SESSION_COOKIE_NAME = "__Host-sessionid" if SECURE_COOKIES else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if SECURE_COOKIES else "csrftoken"

# Content-Security-Policy: our own static files only; no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

LOG_LEVEL = env.str("DJANGO_LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "emsprogram.logformat.JSONFormatter"},
    },
    "filters": {"client_errors_are_warnings": {"()": "emsprogram.logformat.ClientErrorsAreWarnings"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.str("DJANGO_LOG_FORMAT", default="plain" if DEBUG else "json"),
            "filters": ["client_errors_are_warnings"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
    },
}

# How long a change of seats waits for a course start another request is changing (PostgreSQL's lock
# timeout) before the site answers with its "busy, try again" page (503).
SEAT_LOCK_TIMEOUT_SECONDS = env.float("SEAT_LOCK_TIMEOUT_SECONDS", default=5)
if not SEAT_LOCK_TIMEOUT_SECONDS > 0:  # 0 would be PostgreSQL's "wait for ever"
    raise ImproperlyConfigured("SEAT_LOCK_TIMEOUT_SECONDS must be more than 0 (seconds).")

# Personal data is kept this long: `manage.py purge_personal_data --execute` deletes older enquiries
# and closed applications (schedule it, e.g. daily).
DATA_RETENTION_DAYS = env.int("DATA_RETENTION_DAYS", default=730)

# Abuse protection for public forms: submissions allowed per address per window.
RATE_LIMIT_SUBMISSIONS = env.int("RATE_LIMIT_SUBMISSIONS", default=10)
# Forms sent back with mistakes to fix: wider, so that a person fixing a long form is never stopped.
RATE_LIMIT_ATTEMPTS = env.int("RATE_LIMIT_ATTEMPTS", default=RATE_LIMIT_SUBMISSIONS * 5)
RATE_LIMIT_WINDOW_SECONDS = env.int("RATE_LIMIT_WINDOW_SECONDS", default=3600)
# Documents sent on an applicant's page, per window: per client address, and per application.
RATE_LIMIT_UPLOADS = env.int("RATE_LIMIT_UPLOADS", default=30)
