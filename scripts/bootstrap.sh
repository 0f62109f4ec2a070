#!/usr/bin/env bash
# Installs the Debian packages rknn-build needs. Idempotent: when everything is
# present it only runs dpkg-query and returns; apt-get update runs only when a
# package is missing. Called by both README commands.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  protobuf-compiler libprotobuf-dev libonnx-dev libonnx-testdata
  libflatbuffers-dev flatbuffers-compiler
  libssl-dev libusb-1.0-0-dev libstb-dev libyaml-cpp-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev
  clang
  python3 python3-onnx python3-numpy
  # Device tests: rknn_server cross-built for aarch64 (no arm64 libraries
  # needed: the board build has no OpenSSL, libusb or zlib) and run under
  # qemu-user as the emulated board; zlib cross-checks the protocol's CRC-32.
  g++-aarch64-linux-gnu qemu-user zlib1g-dev
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "bootstrap: installing ${missing[*]}" >&2
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "bootstrap: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
