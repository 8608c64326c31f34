#!/usr/bin/env bash
# Starts a sandbox command, waits for the three URLs it prints (REST, WebSocket API, streams), runs the
# conformance checks against it, stops it, and exits with the checks' exit code.
# Usage: conformance/with-sandbox.sh API_KEY SECRET_KEY -- COMMAND [ARGS...]
# e.g.   conformance/with-sandbox.sh ci-key ci-secret -- dotnet run --project src/NaiveStrategy.Cli -c Release --no-build -- \
#            sandbox --port 0 --api-key ci-key --secret-key ci-secret
set -euo pipefail
if [ $# -lt 4 ] || [ "$3" != "--" ]; then
  echo "usage: $0 API_KEY SECRET_KEY -- COMMAND [ARGS...]" >&2
  exit 2
fi
api_key=$1 secret_key=$2
shift 3
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp) err=$(mktemp)
"$@" >"$out" 2>"$err" &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  # A sandbox that does not stop within 10 s is killed: the script never hangs.
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -f "$out" "$err"
}
trap cleanup EXIT
for _ in $(seq 1 600); do
  [ "$(grep -c . "$out" || true)" -ge 3 ] && break
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "the sandbox command exited before printing its URLs:" >&2
    cat "$out" "$err" >&2
    exit 1
  fi
  sleep 0.1
done
mapfile -t urls < <(grep . "$out" | head -3)
if [ "${#urls[@]}" -lt 3 ]; then
  echo "the sandbox printed no URLs within 60 s:" >&2
  cat "$out" "$err" >&2
  exit 1
fi
set +e
bash "$here/run.sh" "${urls[0]}" "${urls[1]}" "${urls[2]}" "$api_key" "$secret_key"
rc=$?
set -e
exit "$rc"
