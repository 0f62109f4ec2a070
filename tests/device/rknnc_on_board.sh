#!/usr/bin/env bash
# rknnc against the board: `rknnc devices` lists it (the emulated board: as
# aarch64, with no USB board found by the libusb scan), and `rknnc run
# --device` writes the simulator's bytes for every model, raw and as float.
#
#   rknnc_on_board.sh RKNNC DEVICE_FILE INPUT WORK_DIR MODEL.rknn...
#
# The board is RKNN_TEST_DEVICE, else the one in DEVICE_FILE (board_fixture.sh);
# with neither the test is skipped (exit code 77).
set -euo pipefail
rknnc=$1 device_file=$2 input=$3 work=$4
shift 4

device=${RKNN_TEST_DEVICE:-}
emulated=0
if [[ -z $device && -s $device_file ]]; then
  device=$(head -1 "$device_file")
  emulated=1
fi
[[ -n $device ]] || { echo "skipped: no board (set RKNN_TEST_DEVICE=tcp://host:port)"; exit 77; }

fail() { echo "FAILED: $*" >&2; exit 1; }

listing=$(RKNN_DEVICES="$device" "$rknnc" devices)
echo "$listing"
grep -Eq "^  $device +rknn_server " <<<"$listing" || fail "rknnc devices does not list $device"
if ((emulated)); then
  grep -Eq "^  $device +rknn_server [^,]*, aarch64 " <<<"$listing" || fail "the emulated board is not aarch64"
  grep -Eq "^  [0-9]+ USB devices scanned, 0 Rockchip NPU boards$" <<<"$listing" ||
    fail "the libusb scan did not run, or found a board"
fi

rm -rf "$work"
mkdir -p "$work"
for model in "$@"; do
  name=$(basename "$model" .rknn)
  for raw in "" "--raw"; do
    "$rknnc" run "$model" --input "$input" --output-dir "$work/$name$raw-sim" $raw >/dev/null
    "$rknnc" run "$model" --input "$input" --output-dir "$work/$name$raw-board" $raw --device "$device" >/dev/null
    for file in "$work/$name$raw-sim"/*.npy; do
      cmp "$file" "$work/$name$raw-board/$(basename "$file")" || fail "$name$raw: the board's $(basename "$file") differs"
    done
    echo "$name ${raw:-(float)}: the board's outputs are the simulator's bytes"
  done
done
