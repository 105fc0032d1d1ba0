#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks for SageServe, then restores and builds.
# Shared by the README's two commands (scripts/run-main.sh and scripts/test.sh). Idempotent: a second run is quick.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

say() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

# Debian packages: CBC (the ILP solver, P/Invoke), Chromium (browser tests), CMake/g++/GoogleTest (native kernels).
apt_packages=(coinor-libcbc3 chromium cmake g++ libgtest-dev)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || die "missing Debian packages: ${missing[*]}; this machine has no apt-get. Install them by other means and rerun."
  if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    die "missing Debian packages: ${missing[*]}; run as root (or install sudo), or: apt-get install ${missing[*]}"
  fi
  say "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Azurite (the Azure Storage emulator) for the Blob persistence and membership tests: a project-local npm install.
azurite_version=3.37.0
if [ ! -x "$here/.tools/node_modules/.bin/azurite" ]; then
  if command -v npm >/dev/null 2>&1; then
    say "installing azurite@$azurite_version into .tools/"
    mkdir -p "$here/.tools"
    npm install --prefix "$here/.tools" --no-audit --no-fund --loglevel=error "azurite@$azurite_version" >/dev/null
  else
    say "WARNING: npm not found; Azure Blob tests will be skipped (install node + npm to run them)"
  fi
fi

command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK is required (dotnet not on PATH); see https://dot.net"

# Native kernels (CPU build).
if [ -f native-kernels/CMakeLists.txt ]; then
  say "building native-kernels"
  cmake -S native-kernels -B native-kernels/build -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build native-kernels/build -j 2 >/dev/null
fi

say "restoring .NET packages"
dotnet restore SageServe.sln --nologo -v quiet
