"""docker-compose.yml and the Dockerfile cannot be run here (no Docker engine), so check what can be
checked without one: the topology, that every command names something that exists, and that the
image installs the same locked requirements."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_describes_the_documented_topology():
    services = compose()["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "beat"}
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    for name in ["migrate", "web", "worker", "beat"]:
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgresql://")
        assert environment["REDIS_URL"].startswith("redis://redis:6379")
        assert services[name]["build"] == "." or services[name]["image"] == services["web"]["image"]
    assert "healthcheck" in services["db"] and "healthcheck" in services["redis"]
    assert "healthcheck" in services["web"]


def test_compose_commands_name_real_entry_points():
    services = compose()["services"]
    web = " ".join(services["web"]["command"])
    assert "gunicorn" in web and "replikasi.wsgi:application" in web
    assert (ROOT / "replikasi" / "wsgi.py").exists()
    worker = " ".join(services["worker"]["command"])
    beat = " ".join(services["beat"]["command"])
    assert "celery -A replikasi worker" in worker
    assert "celery -A replikasi beat" in beat
    assert "migrate" in " ".join(services["migrate"]["command"])
    # Only one beat process in the documented deployment.
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_compose_files_refer_to_existing_paths_and_variables_the_settings_read():
    settings_source = (ROOT / "replikasi" / "settings.py").read_text()
    for name, service in compose()["services"].items():
        for variable in service.get("environment", {}):
            if variable.startswith(("POSTGRES_", "DJANGO_")):
                continue
            base = variable.removesuffix("_FILE")
            assert f'"{base}"' in settings_source, f"{name}: {variable} is not read by settings.py"


def test_dockerfile_installs_the_locked_requirements_and_runs_unprivileged():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.1[1-9]", dockerfile, re.MULTILINE)
    assert "requirements.lock" in dockerfile and "--require-hashes" in dockerfile
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.MULTILINE)
    assert "collectstatic" in dockerfile


def test_make_run_puts_its_port_in_the_links_of_its_emails():
    import importlib.util

    spec = importlib.util.spec_from_file_location("stack", ROOT / "scripts" / "stack.py")
    stack = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stack)
    env = {"PORT": "8080"}
    assert stack.follow_port(env) == "8080" and env["SITE_URL"] == "http://127.0.0.1:8080"
    chosen = {"PORT": "8080", "SITE_URL": "https://replikasi.example.go.id"}
    stack.follow_port(chosen)
    assert chosen["SITE_URL"] == "https://replikasi.example.go.id"
