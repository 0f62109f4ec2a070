#!/usr/bin/env bash
# Builds tests/encryption/project against an RKNN package with ENCRYPT LEVEL 2
# (KEY_FILE and KEY_ENV) and checks that the keys stay out of the build:
#   1. it builds; the app, given the keys at run time, gets outputs identical
#      to the plain model's and is refused without a key; its ctest passes;
#   2. no file of the build folder, the build log or the ctest log holds
#      either key, as raw bytes or as hex (either case), and the search finds
#      a key planted on purpose;
#   3. a build without the KEY_ENV variable fails naming the variable;
#   4. a new key file recompiles that model only, and the keys still stay out.
#
# usage: run_key_project.sh RKNN_DIR GENERATOR WORK SHAPES_ONNX PYTHON [cmake args...]
set -euo pipefail

rknn_dir=$1 generator=$2 work=$3 shapes=$4 python=$5
shift 5
here=$(cd "$(dirname "$0")" && pwd)
src=$work/src
bin=$work/build
log=$work/build.log
start=$SECONDS

fail() {
  echo "FAILED: $*" >&2
  exit 1
}
step() { echo "== [$((SECONDS - start))s] $*"; }
expect_in_log() { grep -q -- "$1" "$log" || { cat "$log"; fail "expected '$1' in the output"; }; }
expect_not_in_log() { if grep -q -- "$1" "$log"; then cat "$log"; fail "did not expect '$1' in the output"; fi; }

# The key of KEY_ENV lives only in this shell's variable and the build's environment.
new_key_file() { "$python" -c 'import os, sys; open(sys.argv[1], "wb").write(os.urandom(32))' "$src/keys/model.key"; }
env_key=$("$python" -c 'import os; print(os.urandom(32).hex())')

build() { APP_MODEL_KEY=$env_key cmake --build "$bin" -j 2 >"$log" 2>&1 || { cat "$log"; fail "build failed"; }; }

# Searches every file under the build folder and the logs for the keys.
search_for_keys() {
  "$python" - "$bin" "$log" "$work/ctest.log" "$src/keys/model.key" "$env_key" "$@" <<'PY'
import os, sys
build, build_log, ctest_log, key_file, env_hex = sys.argv[1:6]
old_keys = [bytes.fromhex(h) for h in sys.argv[6:]]
keys = [open(key_file, "rb").read(), bytes.fromhex(env_hex)] + old_keys
needles = []
for key in keys:
    needles += [key, key.hex().encode(), key.hex().upper().encode()]
files = [build_log, ctest_log] + [os.path.join(d, f) for d, _, fs in os.walk(build) for f in fs]
found, searched = [], 0
for path in files:
    if os.path.islink(path) or not os.path.isfile(path):
        continue
    data = open(path, "rb").read()
    searched += 1
    found += [path for n in needles if n in data]
if found:
    sys.exit("a key was found in: " + ", ".join(sorted(set(found))))
print(f"  searched {searched} files for {len(needles)} key spellings: none found")
PY
}

step "project in $work ($generator)"
rm -rf "$work"
mkdir -p "$src/models" "$src/keys"
cp "$here/project/CMakeLists.txt" "$here/project/main.cpp" "$src/"
cp "$shapes" "$src/models/shapes.onnx"
new_key_file

step "configure (no key in the environment)"
env -u APP_MODEL_KEY cmake -S "$src" -B "$bin" -G "$generator" -DCMAKE_BUILD_TYPE=Release -DRKNN_DIR="$rknn_dir" "$@" \
  >"$log" 2>&1 || { cat "$log"; fail "configure failed"; }

step "1. build, run, ctest"
build
expect_in_log "Compiling model by_file for app"
expect_in_log "Compiling model by_env for app"
(cd "$bin" && APP_MODEL_KEY=$env_key ctest --output-on-failure >"$work/ctest.log" 2>&1) ||
  { cat "$work/ctest.log"; fail "the project's ctest failed"; }
APP_MODEL_KEY=$env_key "$bin/app" "$src/keys/model.key" | tee "$work/app.log"
grep -q "by_file: identical to plain" "$work/app.log" || fail "by_file"
grep -q "by_env: identical to plain" "$work/app.log" || fail "by_env"
grep -q "without a key: refused (RKNN_ERR_MODEL_INVALID)" "$work/app.log" || fail "no key"

step "2. no key in the build folder or the logs"
search_for_keys
# The search itself must work: a key planted in the build folder is found.
printf '%s' "${env_key^^}" >"$bin/planted"
if search_for_keys >/dev/null 2>&1; then fail "the search missed a planted key"; fi
rm "$bin/planted"

step "3. a build without the KEY_ENV variable fails naming it"
sleep 1
touch "$src/models/shapes.onnx"
if env -u APP_MODEL_KEY cmake --build "$bin" -j 2 >"$log" 2>&1; then cat "$log"; fail "the build should have failed"; fi
expect_in_log "environment variable APP_MODEL_KEY is not set"
build

step "4. a new key file recompiles that model only"
old_key=$("$python" -c 'import sys; print(open(sys.argv[1], "rb").read().hex())' "$src/keys/model.key")
sleep 1
new_key_file
build
expect_in_log "Compiling model by_file"
expect_not_in_log "Compiling model by_env"
expect_not_in_log "Compiling model plain"
APP_MODEL_KEY=$env_key "$bin/app" "$src/keys/model.key" >"$work/app.log" || { cat "$work/app.log"; fail "app with the new key"; }
search_for_keys "$old_key"

step "done in $((SECONDS - start)) s"
