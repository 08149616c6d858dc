#!/usr/bin/env bash
# Runs every test project in the solution and ends with one line "N passed, M failed" summed over
# all test assemblies. Exits non-zero when a test failed, the build failed, or no test ran.
set -uo pipefail
cd "$(dirname "$0")"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
dotnet test Spooled.sln -c Release "$@" 2>&1 | tee "$out"
status=${PIPESTATUS[0]}
passed=0; failed=0; skipped=0
while IFS= read -r line; do
  p=$(sed -n 's/.*Passed: *\([0-9]*\).*/\1/p' <<<"$line"); f=$(sed -n 's/.*Failed: *\([0-9]*\),.*/\1/p' <<<"$line"); s=$(sed -n 's/.*Skipped: *\([0-9]*\).*/\1/p' <<<"$line")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
done < <(grep -E '^(Passed|Failed)! +- Failed: ' "$out")
echo
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
