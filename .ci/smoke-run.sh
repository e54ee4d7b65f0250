#!/usr/bin/env bash
# `make run` with neither DATABASE_URL nor REDIS_URL: it must answer / and /healthz with 200,
# then stop every process it started on Ctrl-C (SIGINT to its process group).
set -euo pipefail
cd "$(dirname "$0")/.."
port="${SMOKE_PORT:-8765}"
log="$(mktemp)"
setsid env -u DATABASE_URL -u REDIS_URL PORT="$port" make run >"$log" 2>&1 &
leader=$!
cleanup() { kill -KILL -- "-$leader" 2>/dev/null || true; }
trap cleanup EXIT

ok=""
for _ in $(seq 1 180); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then ok=1; break; fi
  if ! kill -0 "$leader" 2>/dev/null; then break; fi
  sleep 1
done
if [ -z "$ok" ]; then echo "make run never answered /healthz"; cat "$log"; exit 1; fi
for path in / /healthz /readyz; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$path")
  echo "GET $path -> $code"
  [ "$code" = 200 ] || { cat "$log"; exit 1; }
done

kill -INT -- "-$leader"
for _ in $(seq 1 60); do kill -0 "$leader" 2>/dev/null || break; sleep 1; done
if kill -0 "$leader" 2>/dev/null; then echo "make run did not stop within 60 s"; cat "$log"; exit 1; fi
sleep 1
left=$(pgrep -f "$(pwd)/.venv/bin/(gunicorn|celery)|$(pwd)/.data/(postgres|redis)" || true)
if [ -n "$left" ]; then echo "processes left behind: $left"; ps -fp $left || true; exit 1; fi
echo "make run started, answered and stopped cleanly"
tail -n 25 "$log"
