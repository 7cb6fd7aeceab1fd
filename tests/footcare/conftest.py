import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "-production-like-secret-for-tests-only-0123456789",
    "ALLOWED_HOSTS": "footcare.example,127.0.0.1",
    "CSRF_TRUSTED_ORIGINS": "https://footcare.example",
    "TRUST_X_FORWARDED_PROTO": "1",
    "EMAIL_HOST": "smtp.example",
}


@pytest.fixture
def run_django():
    """Run Python in a fresh process with the given environment, as a deployment would."""

    def run(code: str, env: dict[str, str], *, check: bool = True) -> subprocess.CompletedProcess:
        clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
        clean.pop("DATABASE_URL", None)
        clean.pop("REDIS_URL", None)
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=REPO,
            env={**clean, "DJANGO_SETTINGS_MODULE": "footcare.settings", **env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        if check:
            assert result.returncode == 0, result.stderr
        return result

    return run
