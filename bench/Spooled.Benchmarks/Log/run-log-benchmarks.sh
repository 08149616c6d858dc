#!/usr/bin/env bash
# Runs the figures of the log section of docs/benchmarks.md, one after another (never two at once:
# they share the disk and the two cores). Bounded: about 25 minutes with the default 10 s windows.
# Usage, from anywhere:
#   bench/Spooled.Benchmarks/Log/run-log-benchmarks.sh [SECONDS] 2>&1 | tee log-bench.txt
# SPOOLED_BENCH_DIR chooses the parent of the benchmark directories (default: the temp directory,
# which must be on the disk being measured, not a tmpfs); ARTIFACTS the build output (outside the repo,
# so concurrent builds of the repo are not disturbed); BDN_ARTIFACTS BenchmarkDotNet's reports.
set -euo pipefail
cd "$(dirname "$0")/../../.."
secs="${1:-10}"
art="${ARTIFACTS:-/tmp/art-bench}"
dotnet build -c Release bench/Spooled.Benchmarks --artifacts-path "$art" -v quiet -nologo
bench="$art/bin/Spooled.Benchmarks/release/Spooled.Benchmarks"
echo "# $(date -u '+%Y-%m-%d %H:%M:%S UTC') nproc=$(nproc) cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) sdk=$(dotnet --version) $(df -T "${SPOOLED_BENCH_DIR:-/tmp}" | tail -1 | awk '{print $1, $2}')"

# The disk's limits, then every throughput cell.
"$bench" raw --seconds "$secs"
for durability in fsync none; do
  for size in 128 1024 16384; do
    for appenders in 1 64 1024; do
      "$bench" throughput --size "$size" --appenders "$appenders" --seconds "$secs" --durability "$durability"
    done
  done
done

# The targets: each log figure right after a baseline, three rounds (the disk's speed drifts).
for round in 1 2 3; do
  "$bench" raw --seconds "$secs"
  "$bench" throughput --size 1024 --appenders 1024 --seconds "$secs" --durability fsync
  "$bench" throughput --size 128 --appenders 1024 --seconds "$secs" --durability fsync
  "$bench" latency --size 128 --seconds "$secs" --durability fsync
done

# What one group commit costs the bare disk: one record (176 B with header and commit marker) and
# 1,024 records of 128 B, appended to a growing file vs overwriting a preallocated one.
for block in 176 147488; do
  for prealloc in 0 256; do
    "$bench" raw --seconds 6 --block "$block" --preallocate "$prealloc" | grep raw-lat
  done
done

# The thread pool's spin-waiting: the same cell with the default and with spinning off.
"$bench" throughput --size 128 --appenders 1024 --seconds 8
DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 "$bench" throughput --size 128 --appenders 1024 --seconds 8
"$bench" latency --size 128 --seconds 8
DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 "$bench" latency --size 128 --seconds 8

# BenchmarkDotNet: the whole matrix (about 10 minutes on a quiet machine), then the allocation budgets.
"$bench" --filter '*AppendBenchmarks*' --artifacts "${BDN_ARTIFACTS:-/tmp/bdn-art}"
