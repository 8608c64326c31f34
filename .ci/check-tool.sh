#!/usr/bin/env bash
# The `naive` .NET tool installed from its package (artifacts/packages) into a temporary tool path, as
# `dotnet tool install -g NaiveStrategy.Cli` would, then run outside the repository: --version, a bad option
# (one line, exit 2), and `naive backtest` on the bundled day, whose JSON report must equal the Release build's.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=$(realpath "${1:-artifacts/packages}")
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version=$(sed -n 's#.*<Version>\(.*\)</Version>.*#\1#p' Directory.Build.props | head -1)

dotnet tool install NaiveStrategy.Cli --tool-path "$work/tools" --add-source "$packages" --version "$version" --ignore-failed-sources
naive="$work/tools/naive"
cd "$work"

"$naive" --version | grep -E "^naive $version"

set +e
"$naive" backtest --chunks zero > out.txt 2> err.txt
rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "FAIL: a bad option gave exit $rc, not 2"; cat err.txt; exit 1; }
grep -q -- "--chunks" err.txt || { echo "FAIL: the error does not name --chunks"; cat err.txt; exit 1; }

settings=(--budget 100 --chunks 5 --buy-down 0.0001 --profit 0.001 --rebuy 0.002 --fee 0.001)
"$naive" backtest "${settings[@]}" --json tool.json --log-level None > report.txt
dotnet "$root/src/NaiveStrategy.Cli/bin/Release/net10.0/NaiveStrategy.Cli.dll" backtest "${settings[@]}" --json build.json --log-level None > /dev/null
cmp tool.json build.json
grep -E "^\| realized PnL" report.txt
echo "PASS: naive installed from its package, backtest on the bundled day equal to the build's"
