import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import PRODUCTION_ENV, REPO, deployment_environ

# Each test starts processes of its own: left out by `make test FAST=1`.
pytestmark = pytest.mark.slow

PRINT_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "db": settings.DATABASES["default"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "mailer": settings.MAILERS["default"]["BACKEND"],
    "mail_options": settings.MAILERS["default"].get("OPTIONS", {}),
    "debug": settings.DEBUG,
    "proxy": settings.SECURE_PROXY_SSL_HEADER,
}, default=str))
"""


def test_refuses_to_start_without_a_secret_key_when_debug_is_off(run_django):
    result = run_django(
        "import django; django.setup()", {"DEBUG": "0", "SECRET_KEY": ""}, check=False
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_mistyped_boolean_is_refused_with_its_name(run_django):
    result = run_django("import django; django.setup()", {"DEBUG": "maybe"}, check=False)

    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_development_defaults_to_sqlite_in_wal_mode_with_immediate_transactions(run_django):
    settings = json.loads(run_django(PRINT_SETTINGS, {}).stdout)

    db = settings["db"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"].endswith("var/footcare.sqlite3")
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert db["OPTIONS"]["timeout"] >= 5
    assert db["CONN_HEALTH_CHECKS"] is True
    assert settings["cache"] == "django.core.cache.backends.db.DatabaseCache"
    assert settings["mailer"] == "django.core.mail.backends.console.EmailBackend"
    assert settings["proxy"] is None


def test_production_variables_pick_postgres_redis_smtp_and_the_proxy_header(run_django):
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": "postgres://footcare:secret@db.internal:5432/footcare",
        "REDIS_URL": "redis://cache.internal:6379/0",
        "EMAIL_HOST": "smtp.example",
    }

    settings = json.loads(run_django(PRINT_SETTINGS, env).stdout)

    assert settings["db"]["ENGINE"] == "django.db.backends.postgresql"
    assert settings["db"]["HOST"] == "db.internal"
    assert settings["db"]["CONN_HEALTH_CHECKS"] is True
    assert settings["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert settings["mailer"] == "django.core.mail.backends.smtp.EmailBackend"
    assert settings["debug"] is False
    assert settings["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_a_silent_database_or_mail_server_is_given_up_on_within_seconds(run_django):
    """A PostgreSQL connection that stops answering (no reply, no TCP acknowledgement) and a
    mail server that stops answering are each bounded by seconds, not by gunicorn's kill."""
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": "postgres://footcare:secret@db.internal:5432/footcare",
        "EMAIL_HOST": "smtp.example",
    }

    settings = json.loads(run_django(PRINT_SETTINGS, env).stdout)

    options = settings["db"]["OPTIONS"]
    assert options["keepalives"] == 1
    # Idle, then probes: given up on within 3 + 1 * 2 = 5 seconds.
    assert (
        options["keepalives_idle"] + options["keepalives_interval"] * options["keepalives_count"]
        <= 10
    )
    assert 0 < options["tcp_user_timeout"] <= 10_000
    assert options["connect_timeout"] <= 5
    assert "statement_timeout=5000" in options["options"]
    assert 0 < settings["mail_options"]["timeout"] <= 5


def test_the_silent_connection_bound_is_a_setting(run_django):
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": "postgres://footcare:secret@db.internal:5432/footcare",
        "DATABASE_TCP_USER_TIMEOUT_MS": "2500",
        "EMAIL_HOST": "smtp.example",
        "EMAIL_TIMEOUT": "3",
    }

    settings = json.loads(run_django(PRINT_SETTINGS, env).stdout)

    assert settings["db"]["OPTIONS"]["tcp_user_timeout"] == 2500
    assert settings["mail_options"]["timeout"] == 3


@pytest.mark.parametrize(
    ("given", "threshold"), [(None, 1), ("5", 5), ("0", 0), ("none", None), ("NONE ", None)]
)
def test_postgres_binds_on_the_server_and_prepares_what_a_connection_runs_again(
    run_django, given, threshold
):
    # Prepared statements spare PostgreSQL planning a page's queries on every request;
    # "none" turns them off for a pooler that cannot keep them.
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": "postgres://footcare:secret@db.internal:5432/footcare",
        "EMAIL_HOST": "smtp.example",
    }
    if given is not None:
        env["DATABASE_PREPARE_THRESHOLD"] = given

    options = json.loads(run_django(PRINT_SETTINGS, env).stdout)["db"]["OPTIONS"]

    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == threshold


def test_a_mistyped_prepare_threshold_is_refused_with_its_name(run_django):
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": "postgres://footcare:secret@db.internal:5432/footcare",
        "DATABASE_PREPARE_THRESHOLD": "twice",
    }
    result = run_django(PRINT_SETTINGS, env, check=False)
    assert result.returncode != 0
    assert 'DATABASE_PREPARE_THRESHOLD must be a whole number or "none"' in result.stderr


def test_deploy_check_is_silent_with_production_settings(run_django):
    result = run_django(
        "import django; django.setup();"
        "from django.core.management import call_command;"
        "call_command('check', deploy=True, fail_level='WARNING')",
        PRODUCTION_ENV,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


WRITER = """
import sys, time
import django
django.setup()
from django.db import connection, transaction
with transaction.atomic():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM runs")
        cursor.fetchone()
        time.sleep(0.4)
        cursor.execute("INSERT INTO runs (writer) VALUES (%s)", [sys.argv[1]])
"""


def test_two_sqlite_writers_at_once_wait_for_each_other_instead_of_failing(tmp_path: Path):
    database = tmp_path / "concurrent.sqlite3"
    with sqlite3.connect(database) as setup:
        setup.execute("CREATE TABLE runs (writer TEXT)")
    env = deployment_environ(DATABASE_URL=f"sqlite:///{database}")

    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, name],
            cwd=REPO,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    outcomes = [(w.wait(timeout=60), w.stderr.read()) for w in writers]

    assert [code for code, _ in outcomes] == [0, 0], outcomes
    with sqlite3.connect(database) as check:
        assert check.execute("SELECT count(*) FROM runs").fetchone() == (2,)


CLIENT_IP = """
import json
import django
django.setup()
from allauth.account.adapter import get_adapter
from django.conf import settings
from django.test import RequestFactory
request = RequestFactory().get(
    "/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.2"
)
print(json.dumps({
    "count": settings.ALLAUTH_TRUSTED_PROXY_COUNT,
    "client_ip": get_adapter(request).get_client_ip(request),
}))
"""


def test_trusted_proxy_count_sets_the_address_that_login_throttling_counts(run_django):
    behind_two_proxies = json.loads(run_django(CLIENT_IP, {"TRUSTED_PROXY_COUNT": "2"}).stdout)
    direct = json.loads(run_django(CLIENT_IP, {}).stdout)

    # The runner's address, second from the right, is what the per-IP limit counts; without
    # the variable a forged X-Forwarded-For is ignored and the peer's address is used.
    assert behind_two_proxies == {"count": 2, "client_ip": "203.0.113.7"}
    assert direct == {"count": 0, "client_ip": "10.0.0.3"}


def test_a_mistyped_trusted_proxy_count_is_refused_with_its_name(run_django):
    result = run_django(
        "import django; django.setup()", {"TRUSTED_PROXY_COUNT": "two"}, check=False
    )

    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be a whole number" in result.stderr


PRINT_MEDIA = """
import json
from django.conf import settings
from django.utils.module_loading import import_string
backend = settings.STORAGES["default"]["BACKEND"]
import_string(backend)  # installed, not only named
print(json.dumps({
    "backend": backend,
    "options": settings.STORAGES["default"].get("OPTIONS", {}),
    "img_src": settings.SECURE_CSP["img-src"],
}, default=str))
"""


def test_uploads_go_to_local_files_by_default(run_django):
    media = json.loads(run_django(PRINT_MEDIA, {}).stdout)

    assert media["backend"] == "django.core.files.storage.FileSystemStorage"
    assert media["img_src"] == ["'self'", "data:"]


def test_a_media_bucket_switches_uploads_to_s3_cached_for_a_year(run_django):
    media = json.loads(
        run_django(
            PRINT_MEDIA,
            {"MEDIA_BUCKET": "footcare-pictures", "MEDIA_CUSTOM_DOMAIN": "pictures.example.org"},
        ).stdout
    )

    assert media["backend"] == "storages.backends.s3.S3Storage"
    options = media["options"]
    assert options["bucket_name"] == "footcare-pictures"
    assert options["querystring_auth"] is False and options["file_overwrite"] is False
    assert options["object_parameters"] == {"CacheControl": "public, max-age=31536000, immutable"}
    # The page may show pictures from the bucket's public address, and nowhere else new.
    assert media["img_src"] == ["'self'", "data:", "https://pictures.example.org"]
