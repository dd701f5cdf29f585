#!/usr/bin/env bash
# Runs deploy/docker-compose.yml as shipped (copied, with deploy/compose-smoke.yml on top) in
# webhook mode against the Bot API sandbox, then checks: a /start goes by webhook and is
# answered (the round trip), /healthz answers 200 with the database, the dispatcher and
# Telegram's view, and `stop` ends the bot with exit 0 within its grace. Then removes it all.
# Needs the image (make image) and a Docker daemon with Compose v2; where either is missing it
# prints "SKIPPED" and exits 0. The example
# publishes 127.0.0.1:9100, which must be free.
#   deploy/compose-smoke-test.sh        Environment: IMAGE (default footcare:latest)
set -euo pipefail
cd "$(dirname "$0")/.."

export IMAGE="${IMAGE:-footcare:latest}"
if ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
    echo "SKIPPED: no Docker daemon (docker info failed); the compose file was not run"
    exit 0
fi
# Compose v2 (the `docker compose` plugin, or a v2 `docker-compose`): v1 cannot read the file's
# top-level `name:`.
if docker compose version >/dev/null 2>&1; then
    compose=(docker compose)
elif docker-compose version --short 2>/dev/null | grep -q '^v\?2'; then
    compose=(docker-compose)
else
    echo "SKIPPED: no Docker Compose v2 (docker compose); the compose file was not run"
    exit 0
fi
docker image inspect "$IMAGE" >/dev/null || { echo "no image $IMAGE (make image)" >&2; exit 1; }

failures=0
passes=0
pass() { echo "ok   - $1"; passes=$((passes + 1)); }
fail() { echo "FAIL - $1" >&2; failures=$((failures + 1)); }
work="$(mktemp -d)"
project="footcare-smoke-$$"
cp deploy/docker-compose.yml deploy/compose-smoke.yml "$work/"
# The example's env_file: the sandbox's own made-up token, nothing real.
printf 'BOT_TOKEN=123456:SANDBOX-TOKEN\n' >"$work/.env"
dc() { "${compose[@]}" -p "$project" -f "$work/docker-compose.yml" -f "$work/compose-smoke.yml" "$@"; }
cleanup() {
    dc down -v --remove-orphans >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
started=$(date +%s)

if ! dc up -d; then
    fail "docker compose up"
    dc logs --no-color >&2 || true
    exit 1
fi

# 1. The round trip: the sandbox's user says /start once the webhook is registered.
line=""
for _ in $(seq 1 120); do
    line="$(dc logs --no-color telegram 2>/dev/null | grep -o 'ROUND TRIP.*' | head -1 || true)"
    [ -n "$line" ] && break
    sleep 1
done
case "$line" in
    "ROUND TRIP OK"*) pass "webhook round trip: ${line#ROUND TRIP OK: }" ;;
    *) fail "webhook round trip: ${line:-no answer within 120 s}"; dc logs --no-color >&2 || true ;;
esac

# 2. /healthz as the healthcheck asks it, from inside the bot's container.
probe='import json, urllib.request
report = json.load(urllib.request.urlopen("http://127.0.0.1:9100/healthz", timeout=5))
assert report["status"] == "ok" and "telegram" in report, report
print(json.dumps(report))'
if health="$(dc exec -T bot python -c "$probe" 2>&1)"; then
    pass "/healthz: $health"
else
    fail "/healthz: $health"
fi

# 3. A graceful stop: SIGTERM, exit 0 well within stop_grace_period.
container="$(dc ps -q bot)"
if dc stop bot >/dev/null 2>&1 && [ "$(docker inspect -f '{{.State.ExitCode}}' "$container")" = 0 ]; then
    pass "docker compose stop: the bot exited 0"
else
    fail "docker compose stop: exit $(docker inspect -f '{{.State.ExitCode}}' "$container")"
    dc logs --no-color bot >&2 || true
fi

echo "compose smoke test: $passes passed, $failures failed in $(($(date +%s) - started)) s"
[ "$failures" = 0 ]
