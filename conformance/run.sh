#!/usr/bin/env bash
# Runs the conformance checks of the Binance sandbox against Binance's official connector (@binance/spot).
# Usage: conformance/run.sh REST_URL WS_API_URL STREAM_URL API_KEY SECRET_KEY [SYMBOL]
#    or: SANDBOX_REST_URL=... SANDBOX_WS_API_URL=... SANDBOX_STREAM_URL=... SANDBOX_API_KEY=... SANDBOX_SECRET_KEY=... conformance/run.sh
# The three URLs are the three lines the sandbox prints on start. Exit code 0 only if every check passed.
set -euo pipefail
cd "$(dirname "$0")"
rest=${1:-${SANDBOX_REST_URL:-}}
ws_api=${2:-${SANDBOX_WS_API_URL:-}}
streams=${3:-${SANDBOX_STREAM_URL:-}}
api_key=${4:-${SANDBOX_API_KEY:-}}
secret_key=${5:-${SANDBOX_SECRET_KEY:-}}
symbol=${6:-${SANDBOX_SYMBOL:-XRPUSDT}}
if [ -z "$rest" ] || [ -z "$ws_api" ] || [ -z "$streams" ] || [ -z "$api_key" ] || [ -z "$secret_key" ]; then
  echo "usage: $0 REST_URL WS_API_URL STREAM_URL API_KEY SECRET_KEY [SYMBOL] (or the SANDBOX_* variables)" >&2
  exit 2
fi
if [ ! -d node_modules/@binance/spot ]; then
  npm ci --no-audit --no-fund >&2
fi
exec node conformance.mjs --rest "$rest" --ws-api "$ws_api" --streams "$streams" --api-key "$api_key" --secret-key "$secret_key" --symbol "$symbol"
