#!/usr/bin/env bash
# The README's test command (and CI's): installs what is missing, then
# configures, builds and runs every test twice: optimized (release preset) and
# under AddressSanitizer + UndefinedBehaviorSanitizer (asan preset).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
cmake --workflow --preset release
cmake --workflow --preset asan
