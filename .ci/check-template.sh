#!/usr/bin/env bash
# The `dotnet new naive-bot` template as a user gets it: installed from its package (NaiveStrategy.Templates, in a
# private template hive), a bot created outside the repository that references the freshly packed NaiveStrategy
# packages (only from PACKAGES_DIR; everything else from NuGet), built with warnings as errors and its tests run.
# usage: check-template.sh PACKAGES_DIR   (prints `template: ok` or `template: FAILED` last; exits non-zero on failure)
set -euo pipefail
feed=$(realpath "$1")
work=$(mktemp -d "${TMPDIR:-/tmp}/naive-template-XXXXXX")
trap 'rm -rf "$work"' EXIT
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

nupkg=$(ls "$feed"/NaiveStrategy.Templates.[0-9]*.nupkg | head -1)
version=$(basename "$nupkg" .nupkg | sed 's/^NaiveStrategy\.Templates\.//')
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config><add key="globalPackagesFolder" value="$work/packages" /></config>
  <fallbackPackageFolders><clear /><add key="shared" value="$HOME/.nuget/packages" /></fallbackPackageFolders>
  <packageSources><clear /><add key="local" value="$feed" /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" /></packageSources>
  <packageSourceMapping>
    <packageSource key="local"><package pattern="NaiveStrategy" /><package pattern="NaiveStrategy.*" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML
for name in Directory.Build.props Directory.Build.targets Directory.Packages.props; do echo '<Project />' > "$work/$name"; done

cd "$work"
status=0
dotnet new install "$nupkg" --debug:custom-hive "$work/hive" > install.log 2>&1 || { cat install.log; status=1; }
if [ "$status" -eq 0 ]; then
  dotnet new naive-bot -n MyBot -o MyBot --NaiveStrategyVersion "$version" --debug:custom-hive "$work/hive" > new.log 2>&1 || { cat new.log; status=1; }
fi
if [ "$status" -eq 0 ]; then
  (cd MyBot && dotnet build MyBot.slnx -c Release -warnaserror > ../build.log 2>&1) || { grep -E ' error |warning' build.log | head -20; status=1; }
fi
if [ "$status" -eq 0 ]; then
  (cd MyBot && dotnet test MyBot.slnx -c Release --no-build > ../test.log 2>&1) || { grep -A12 '^\s*Failed ' test.log | head -40; status=1; }
  grep -E '(Passed|Failed)!|error' test.log | head -10 || true
fi
# Without keys the bot says so in one line and exits 2: it starts, reads its settings, and touches no exchange.
if [ "$status" -eq 0 ]; then
  set +e
  (cd MyBot && env -u Binance__ApiKey -u Binance__SecretKey dotnet run --project src/MyBot -c Release --no-build > ../run.log 2>&1)
  rc=$?
  set -e
  if [ "$rc" -ne 2 ] || ! grep -q '^error: set Binance__ApiKey' run.log; then cat run.log; status=1; fi
fi
if [ "$status" -eq 0 ]; then echo "template: ok"; else echo "template: FAILED"; fi
exit "$status"
