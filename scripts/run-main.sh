#!/usr/bin/env bash
# The main job: setup, then `sageserve simulate` on the embedded default workload. Extra arguments pass through.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
"$here/scripts/setup.sh"
dotnet build silo/SageServe.Silo.csproj -c Release --nologo -v quiet --no-restore
exec dotnet "$here/silo/bin/Release/net10.0/sageserve.dll" simulate "$@"
