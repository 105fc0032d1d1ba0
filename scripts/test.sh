#!/usr/bin/env bash
# Runs every test: setup, the .NET solution's tests, and the native kernels' CTest suite; ends with one line
# "N passed, N failed" over both. Exit status is non-zero if anything failed.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
"$here/scripts/setup.sh"
export SAGESERVE_AZURITE="$here/.tools/node_modules/.bin/azurite"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

dotnet build SageServe.sln -c Release --nologo -v quiet --no-restore
status=0
dotnet test SageServe.sln -c Release --nologo --no-build 2>&1 | tee "$log" || status=$?
if [ -d native-kernels/build ]; then
  (cd native-kernels/build && ctest --output-on-failure) 2>&1 | tee -a "$log" || status=$?
fi

# Totals: dotnet prints "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T" per project; ctest prints
# "NN% tests passed, F tests failed out of T".
summary=$(awk '
  /(Passed|Failed)! +- +Failed:/ { gsub(/,/, ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
  /tests passed, [0-9]+ tests failed out of/ { for (i = 1; i <= NF; i++) { if ($i == "failed") cf = $(i-2); if ($i == "of") ct = $(i+1) } p += ct - cf; f += cf }
  END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log")
echo "$summary"
case "$summary" in
  "0 passed"*) echo "no test ran" >&2; exit 1 ;;
esac
exit "$status"
