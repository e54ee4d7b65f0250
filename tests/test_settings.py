"""Settings come from the environment and a wrong value stops the process at start-up."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "p9!Xq2@Lm7#Rt4$Vw8%Zb1^Nc6&Hd3*Jf5(Kg0)Ys-Ue+Ia=Oo"


def start(**overrides: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"SECRET_KEY": ""}, "SECRET_KEY (or SECRET_KEY_FILE) must be set"),
        ({"DEBUG": "false", "SECRET_KEY": "short", "ALLOWED_HOSTS": "x.id"}, "SECRET_KEY is too weak"),
        ({"DATABASE_URL": "mysql://root@localhost/replikasi"}, "Replikasi runs on PostgreSQL only"),
        ({"DATABASE_URL": ""}, "DATABASE_URL must be set"),
        ({"REDIS_URL": "http://localhost:6379"}, "REDIS_URL has scheme 'http'"),
        ({"SESSION_COOKIE_AGE": "eight hours"}, "SESSION_COOKIE_AGE='eight hours' is not a whole number"),
        ({"DEBUG": "false", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must be set"),
        (
            {"DEBUG": "false", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "x.id", "DEMO_PASSWORD": " "},
            "DEMO_PASSWORD is empty",
        ),
        ({"NUM_PROXIES": "one"}, "NUM_PROXIES='one' is not a whole number"),
        ({"RATE_PROBLEM_SEARCH": "ten a minute"}, "RATE_PROBLEM_SEARCH='ten a minute': use e.g. 60/minute"),
    ],
)
def test_a_wrong_setting_fails_loudly_at_start_up(overrides, message):
    result = start(**overrides)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_secrets_can_come_from_files(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text(STRONG_KEY)
    env = {
        "SECRET_KEY": "",
        "SECRET_KEY_FILE": str(secret),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "replikasi.go.id",
    }
    result = start(**env)
    assert result.returncode == 0, result.stderr


def test_production_settings_pass_the_deploy_check_with_no_warning():
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update({"DEBUG": "false", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "replikasi.go.id"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
