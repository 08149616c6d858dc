#!/usr/bin/env bash
# Live-event fan-out: enqueue throughput and event latency with N SSE subscribers on the queue being
# filled, each N against a fresh server (its data in a temporary directory, deleted afterwards).
# Usage, from anywhere:
#   bench/Spooled.LoadGen/run-fanout.sh [JOBS] [N ...] 2>&1 | tee fanout.txt
# Defaults: 20,000 jobs; N = 0 100 1000 0 1000. ARTIFACTS chooses the build output (default: a
# temporary directory). Each run: a fresh server with high stream limits, an unmeasured warm-up of
# 3,000 jobs, then `--workload enqueue --producers 4` with `--sse-subscribers N` (the JobCreated
# events of that queue), its JSON report printed on one line.
set -euo pipefail
cd "$(dirname "$0")/../.."
jobs="${1:-20000}"
shift || true
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(0 100 1000 0 1000)
art="${ARTIFACTS:-$(mktemp -d)}"
port="${PORT:-18282}"
dotnet build -c Release src/Spooled.Http --artifacts-path "$art" -v quiet -nologo
dotnet build -c Release bench/Spooled.LoadGen --artifacts-path "$art" -v quiet -nologo
server="$art/bin/Spooled.Http/release/Spooled.Http.dll"
loadgen="$art/bin/Spooled.LoadGen/release/Spooled.LoadGen"
echo "# $(date -u '+%Y-%m-%d %H:%M:%S UTC') nproc=$(nproc) cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) load=$(cut -d' ' -f1-3 /proc/loadavg) commit=$(git rev-parse --short HEAD)"

for n in "${counts[@]}"; do
  data=$(mktemp -d)
  (cd "$data" && exec env PORT="$port" SPOOLED_Realtime__MaxStreamsPerKey=5000 SPOOLED_Realtime__MaxStreamsPerOrganization=5000 \
    Logging__LogLevel__Default=Warning dotnet "$server" > server.log 2>&1) &
  pid=$!
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.5; done
  key=$(grep -oE "sk_(test|live)_[A-Za-z0-9_-]{43}" "$data/server.log" | head -1)
  "$loadgen" --url "http://127.0.0.1:$port" --api-key "$key" --workload enqueue --jobs 3000 --producers 4 > /dev/null
  echo "\$ Spooled.LoadGen --workload enqueue --jobs $jobs --producers 4 --sse-subscribers $n --pid <server> --json   (load $(cut -d' ' -f1 /proc/loadavg))"
  "$loadgen" --url "http://127.0.0.1:$port" --api-key "$key" --workload enqueue --jobs "$jobs" --producers 4 \
    --sse-subscribers "$n" --pid "$pid" --json | tr -d '\n'
  echo
  kill "$pid"
  wait "$pid" 2> /dev/null || true
  rm -rf "$data"
done
