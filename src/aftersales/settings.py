"""Django settings. Every deployment value comes from `aftersales.config`."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from aftersales import config

CONFIG = config.load()
PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = CONFIG.data_dir

SECRET_KEY = CONFIG.secret_key
DEBUG = CONFIG.debug
ALLOWED_HOSTS = CONFIG.allowed_hosts
CSRF_TRUSTED_ORIGINS = CONFIG.csrf_trusted_origins

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "django_htmx",
    "huey.contrib.djhuey",
    "aftersales.core",
    "aftersales.accounts",
    "aftersales.customers",
    "aftersales.catalog",
    "aftersales.cases",
    "aftersales.policies",
    "aftersales.guarantees",
    "aftersales.demo",
    "aftersales.web",
    "aftersales.desk",
    "aftersales.portal",
    "aftersales.sla",
    "aftersales.parts",
    "aftersales.repairs",
    "aftersales.charges",
    "aftersales.search",
    "aftersales.kb",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "aftersales.core.api_errors.ApiErrorShapeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "aftersales.core.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "aftersales.urls"
WSGI_APPLICATION = "aftersales.wsgi.application"
ASGI_APPLICATION = "aftersales.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": CONFIG.database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# User name as typed, or a portal account's e-mail address in any letter case.
AUTHENTICATION_BACKENDS = ["aftersales.accounts.backends.SignInBackend"]
# A password reset link works once (it is bound to the password hash) and for a day.
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_EXPIRE_AT_BROWSER_CLOSE = False
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# Languages: the interface speaks these four; content people write is stored per language.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hant", _("Traditional Chinese")),
    ("zh-hans", _("Simplified Chinese")),
    ("ko", _("Korean")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = CONFIG.time_zone

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Uploads: refuse early, before a request body fills memory.
AFTERSALES_MAX_UPLOAD_BYTES = CONFIG.max_upload_bytes
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Counters for rate limits (`core/throttle.py`). Local memory holds for the one process
# `aftersales serve` runs; several workers or hosts need a shared cache here.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "aftersales"}}

# Background jobs (`core/jobs.py`, decision 0017). Huey with a queue that survives a crash
# of the consumer mid-job (`core/jobqueue.py`): a SQLite file in the data dir by default,
# consumed inside `aftersales serve`; Redis when REDIS_URL is set, consumed by any number of
# `aftersales worker` processes. The tests switch to immediate mode (conftest.py).
HUEY = {
    "name": CONFIG.jobs_queue,
    "immediate": CONFIG.jobs_immediate,
    "results": False,
    "utc": True,
    "lease_seconds": CONFIG.jobs_lease_seconds,
    **(
        {"huey_class": "aftersales.core.jobqueue.ReliableRedisHuey", "url": CONFIG.redis_url}
        if CONFIG.redis_url
        else {"huey_class": "aftersales.core.jobqueue.ReliableSqliteHuey", "filename": str(DATA_DIR / "jobs.sqlite3")}
    ),
    # A stop lets running jobs finish for up to 30 s; one still running then is interrupted,
    # stays in flight and runs again after the lease (core/jobqueue.py).
    "consumer": {"workers": CONFIG.jobs_workers, "worker_type": "thread", "shutdown_timeout": 30},
}

EMAIL_BACKEND = CONFIG.email_backend
DEFAULT_FROM_EMAIL = CONFIG.default_from_email
AFTERSALES_BASE_URL = CONFIG.base_url

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

NINJA_PAGINATION_CLASS = "ninja.pagination.LimitOffsetPagination"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"aftersales": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
