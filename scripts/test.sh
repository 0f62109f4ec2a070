#!/usr/bin/env bash
# The README's test command (and CI's): installs what is missing, then
# configures, builds and runs every test with the release preset.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
cmake --workflow --preset release
