#!/usr/bin/env bash
# The production path without Docker (the Dockerfile's steps, issue 12):
# clean clone of HEAD -> npm ci -> npm run build -> npm prune --omit=dev ->
# migrate, create a staff account and publish the policies with the admin CLI
# -> npm run serve on PostgreSQL + Redis with NODE_ENV=production -> /ready ->
# register a customer -> GET /metrics -> SIGTERM to `npm run serve` -> exit 0
# within 10 s. The pruned tree has no Node 24 of its own (the `node` package
# is a devDependency): NODE24_BIN (default: this checkout's unpruned
# node_modules/node/bin) goes first on PATH, as the container's base image does.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
NODE24_BIN="${NODE24_BIN:-$ROOT/node_modules/node/bin}"
PG_BASE="${CI_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test}"
# A Redis database of its own, emptied first: rate-limit counters are keyed by client address, and every
# other run on this machine (tests, benchmarks) is 127.0.0.1 too; a shared counter can already be over the
# production limits (60 anonymous writes an hour) and turn this check's sign-up into a 429.
REDIS_URL="${CI_REDIS_URL:-redis://127.0.0.1:6379/15}"
WORK="$(mktemp -d /tmp/lp-prod-XXXXXX)"
DB="prod_path_$(date +%s)_$$"
SERVER_PID=""
cleanup() {
  # npm's child (the server) first: killing npm alone would leave the server running, and the next run's orphan check fail.
  [ -n "$SERVER_PID" ] && { pkill -KILL -P "$SERVER_PID" 2>/dev/null; kill -KILL "$SERVER_PID" 2>/dev/null; } || true
  psql "$PG_BASE" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
step() { echo "== $*"; }

if [ -n "${REUSE_CLONE:-}" ]; then
  # Re-run only the run-time half on an already built and pruned clone (debugging this script).
  cd "$REUSE_CLONE"
else
  step "clean clone of $(git -C "$ROOT" rev-parse --short HEAD) into $WORK/app"
  git clone -q --no-checkout "$ROOT" "$WORK/app"
  cd "$WORK/app"
  git checkout -q "$(git -C "$ROOT" rev-parse HEAD)"

  step "npm ci (with devDependencies, for the build)"
  npm ci --no-audit --no-fund --prefer-offline --loglevel=error
  step "npm run build"
  npm run --silent build
  step "npm prune --omit=dev"
  npm prune --omit=dev --no-audit --no-fund --loglevel=error
fi
# (prisma and typescript stay: optional peers of @prisma/client, a production dependency.)
for dev in tsx vitest esbuild node eslint; do
  if [ -e "node_modules/$dev" ]; then echo "devDependency $dev is still installed"; exit 1; fi
done

export PATH="$NODE24_BIN:$PATH"
node --version | grep -q '^v24\.' || { echo "need Node 24 on PATH (NODE24_BIN)"; exit 1; }

psql "$PG_BASE" -qc "CREATE DATABASE $DB" >/dev/null
redis-cli -u "$REDIS_URL" FLUSHDB >/dev/null
DATABASE_URL="${PG_BASE%/*}/$DB"
PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
export NODE_ENV=production DATABASE_URL REDIS_URL PORT HOST=127.0.0.1 DATA_DIR="$WORK/data" PUBLIC_URL=https://api.example.test \
  METRICS_TOKEN=prod-path-metrics LOG_LEVEL=info STAFF_PASSWORD='operator password 1' \
  MAIL=off # no SMTP server in this check; production refuses to start without SMTP_URL unless mail is off

step "npm run db:migrate"
npm run --silent db:migrate
step "npm run admin -- create-staff"
npm run --silent admin -- create-staff --email ops@example.test --role ADMIN | tee "$WORK/staff.out"
grep -q 'staff account ops@example.test has roles ADMIN' "$WORK/staff.out"

step "publish the privacy and cookie policies"
for kind in PRIVACY_POLICY COOKIE_POLICY; do
  for locale in LV EN; do
    printf 'Policy %s %s, version 2026-01.\n' "$kind" "$locale" > "$WORK/$kind-$locale.txt"
    npm run --silent admin -- publish-policy --kind "$kind" --version 2026-01 --locale "$locale" --file "$WORK/$kind-$locale.txt"
  done
done

step "npm run serve (NODE_ENV=production, PostgreSQL + Redis)"
npm run serve > "$WORK/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/ready" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.log"; echo "server exited"; exit 1; }
  sleep 0.5
done
# Not `tee /dev/stderr`: reopening /dev/stderr truncates a log file that stderr is redirected to (CI's output was lost).
READY="$(curl -sf "http://127.0.0.1:$PORT/ready")"
echo "$READY"
grep -q '"redis":"ok"' <<<"$READY"

step "register a customer"
curl -sf "http://127.0.0.1:$PORT/graphql" -H 'content-type: application/json' -H 'x-request-id: prod-path-register' \
  -d '{"query":"mutation R($i: RegisterInput!) { register(input: $i) { accessToken account { email } } }","variables":{"i":{"email":"first.customer@example.test","password":"customer password 1","privacyPolicyVersion":"2026-01"}}}' \
  | tee "$WORK/register.json"
echo
grep -q '"email":"first.customer@example.test"' "$WORK/register.json"
grep -q '"accessToken":"' "$WORK/register.json"

step "GET /metrics"
test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/metrics")" = 401
curl -sf -H "authorization: Bearer $METRICS_TOKEN" "http://127.0.0.1:$PORT/metrics" > "$WORK/metrics.txt"
grep -q '^http_requests_total{method="POST",route="/graphql",status="200"}' "$WORK/metrics.txt"
grep -q '^graphql_envelop_request' "$WORK/metrics.txt"
grep -q '"requestId":"prod-path-register"' "$WORK/serve.log"

step "SIGTERM to npm run serve"
started=$(date +%s%N)
kill -TERM "$SERVER_PID"
set +e
wait "$SERVER_PID"
code=$?
set -e
SERVER_PID=""
elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
echo "exit code $code after ${elapsed_ms} ms"
tail -n 3 "$WORK/serve.log"
test "$code" = 0
test "$elapsed_ms" -lt 10000
grep -q '"msg":"stopped"' "$WORK/serve.log"
if ps -eo args | grep -v grep | grep -q "$PWD/dist/server/main.js\|^node dist/server/main.js"; then echo "server left running (orphan)"; exit 1; fi
echo "production path OK"
