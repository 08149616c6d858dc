#!/usr/bin/env bash
# Runs the broker benchmarks (the broker in process, no HTTP, its log on the real disk) at their
# default sizes, one after another (never two at once: they share the disk and the cores). Prints the
# machine, the date and each command before its output. Takes about 5 minutes on 2 cores.
# Usage, from anywhere:
#   bench/Spooled.Benchmarks/Broker/run-broker-benchmarks.sh [JOBS] 2>&1 | tee broker-bench.txt
# JOBS defaults to 1,000,000. SPOOLED_BENCH_DIR chooses the parent of the benchmark directories
# (default: the temp directory, which must be on the disk being measured, not a tmpfs); ARTIFACTS the
# build output (outside the repo, so concurrent builds of the repo are not disturbed).
set -euo pipefail
cd "$(dirname "$0")/../../.."
jobs="${1:-1000000}"
art="${ARTIFACTS:-/tmp/art-bench}"
dotnet build -c Release bench/Spooled.Benchmarks --artifacts-path "$art" -v quiet -nologo
bench="$art/bin/Spooled.Benchmarks/release/Spooled.Benchmarks"
echo "# $(date -u '+%Y-%m-%d %H:%M:%S UTC') nproc=$(nproc) cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) mem=$(awk '/MemTotal/ {printf "%.0fGiB", $2 / 1048576}' /proc/meminfo) sdk=$(dotnet --version) $(df -T "${SPOOLED_BENCH_DIR:-/tmp}" | tail -1 | awk '{print $1, $2}') load=$(cut -d' ' -f1-3 /proc/loadavg)"

run() {
  echo "\$ $*"
  "$@"
}

# End to end: bulk enqueue of 100, claim 100, complete (one call per claim, then one call per job);
# then with four times the requests in flight. With the collector the server runs (workstation,
# concurrent), not this project's default (non-concurrent).
export DOTNET_gcServer=0 DOTNET_gcConcurrent=1
run "$bench" broker-throughput --jobs "$jobs" --complete batch
run "$bench" broker-throughput --jobs "$jobs" --complete single
run "$bench" broker-throughput --jobs "$jobs" --complete batch --producers 16 --workers 16
unset DOTNET_gcServer DOTNET_gcConcurrent
# Heap bytes per pending job beyond its payload.
run "$bench" broker-memory --jobs "$jobs"
# Reopen time: replay only, then snapshot + tail; with the page cache warm, then evicted.
run "$bench" broker-recovery --jobs "$jobs"
run "$bench" broker-recovery --jobs "$jobs" --cache cold
# The snapshot's pause, and single-enqueue latency around it.
run "$bench" broker-snapshot --jobs "$jobs"
