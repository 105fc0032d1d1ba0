#!/usr/bin/env bash
# Runs every test: setup, the .NET solution's tests, and the native kernels' CTest suite.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
"$here/scripts/setup.sh"
export SAGESERVE_AZURITE="$here/.tools/node_modules/.bin/azurite"
dotnet build SageServe.sln -c Release --nologo -v quiet --no-restore
dotnet test SageServe.sln -c Release --nologo --no-build -v quiet --logger "console;verbosity=normal"
if [ -d native-kernels/build ]; then
  (cd native-kernels/build && ctest --output-on-failure)
fi
