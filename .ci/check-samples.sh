#!/usr/bin/env bash
# Runs the samples/ programs CI can run offline, from their Release builds, each bounded in time:
# Samples.QuickStart (in-memory exchange: must log a fill and print its summary), Samples.Worker without keys (one
# `error:` line, exit 2, before any exchange call), Samples.WebApi (in-memory exchange: /readyz answers 200 and
# /api/symbols answers with the token). Prints one line per sample and `samples: ok` or `samples: FAILED` last.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d "${TMPDIR:-/tmp}/naive-samples-XXXXXX")
trap 'rm -rf "$out"' EXIT
status=0
bin() { echo "samples/$1/bin/Release/net10.0"; }

if (cd "$(bin Samples.QuickStart)" && timeout 60 dotnet Samples.QuickStart.dll > "$out/quickstart.log" 2>&1) &&
  grep -q 'Buy order .* filled' "$out/quickstart.log" && grep -q '^traders running: ' "$out/quickstart.log"; then
  echo "PASS Samples.QuickStart"
else
  echo "FAIL Samples.QuickStart"; tail -20 "$out/quickstart.log"; status=1
fi

(cd "$(bin Samples.Worker)" && env -u Binance__ApiKey -u Binance__SecretKey timeout 60 dotnet Samples.Worker.dll > "$out/worker.log" 2>&1)
rc=$?
if [ "$rc" -eq 2 ] && [ "$(wc -l < "$out/worker.log")" -eq 1 ] && grep -q '^error: set Binance__ApiKey' "$out/worker.log"; then
  echo "PASS Samples.Worker (no keys: one line, exit 2)"
else
  echo "FAIL Samples.Worker (exit $rc)"; tail -20 "$out/worker.log"; status=1
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
token=ci-samples-token-0123456789
(cd "$(bin Samples.WebApi)" && NAIVE_API_TOKEN=$token exec timeout 120 dotnet Samples.WebApi.dll --urls "http://127.0.0.1:$port" > "$out/web.log" 2>&1) &
web=$!
ready=0
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$port/readyz" > /dev/null 2>&1; then ready=1; break; fi
  sleep 0.3
done
if [ "$ready" -eq 1 ] && curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/symbols" | grep -q XRPUSDT &&
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/symbols")" = 401 ]; then
  echo "PASS Samples.WebApi (/readyz 200, /api/symbols with the token, 401 without)"
else
  echo "FAIL Samples.WebApi"; tail -20 "$out/web.log"; status=1
fi
kill "$web" 2>/dev/null; wait "$web" 2>/dev/null

if [ "$status" -eq 0 ]; then echo "samples: ok"; else echo "samples: FAILED"; fi
exit "$status"
