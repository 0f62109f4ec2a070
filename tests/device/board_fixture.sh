#!/usr/bin/env bash
# The emulated board of the device tests: the aarch64 rknn_server under
# qemu-user, listening on a free loopback port.
#
#   board_fixture.sh start STATE_DIR SERVER QEMU SYSROOT   (ctest FIXTURES_SETUP)
#   board_fixture.sh stop STATE_DIR                        (ctest FIXTURES_CLEANUP)
#
# start writes STATE_DIR/device ("tcp://127.0.0.1:PORT"), STATE_DIR/pid and
# STATE_DIR/agent.log. With RKNN_TEST_DEVICE set it starts nothing: the tests
# use that board. Without qemu or the cross-built agent it starts nothing
# either, and the device tests report themselves skipped. The agent watches
# ctest's pid, so it never outlives the test run even if stop never runs.
set -euo pipefail

command=$1
state=$2

start() {
  local server=$1 qemu=$2 sysroot=$3
  rm -rf "$state"
  mkdir -p "$state"
  if [[ -n ${RKNN_TEST_DEVICE:-} ]]; then
    echo "board: RKNN_TEST_DEVICE=$RKNN_TEST_DEVICE, no emulated board started"
    return 0
  fi
  if [[ -z $qemu || ! -x $qemu || -z $server || ! -x $server ]]; then
    echo "board: no emulated board (qemu-aarch64: '${qemu}', aarch64 rknn_server: '${server}');" \
         "the device tests will be skipped"
    return 0
  fi
  # ctest is this script's parent: the agent stops when ctest ends.
  setsid "$qemu" -L "$sysroot" "$server" --port 0 --port-file "$state/port" --frame-timeout-ms 2000 \
    --watch-pid "$PPID" </dev/null >"$state/agent.log" 2>&1 &
  local pid=$!
  echo "$pid" >"$state/pid"
  for _ in $(seq 1200); do
    [[ -s $state/port ]] && break
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "board: the agent exited at start:" >&2
      cat "$state/agent.log" >&2
      return 1
    fi
    sleep 0.05
  done
  if [[ ! -s $state/port ]]; then
    echo "board: the agent did not start listening within 60 s" >&2
    kill -KILL "$pid" 2>/dev/null || true
    return 1
  fi
  echo "tcp://127.0.0.1:$(cat "$state/port")" >"$state/device"
  echo "board: $(cat "$state/device") (pid $pid): $(head -1 "$state/agent.log")"
}

stop() {
  [[ -f $state/pid ]] || { echo "board: nothing to stop"; return 0; }
  local pid
  pid=$(cat "$state/pid")
  rm -f "$state/device"
  if kill -TERM "$pid" 2>/dev/null; then
    for _ in $(seq 200); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.05
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "board: the agent ignored SIGTERM for 10 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
    fi
  fi
  rm -f "$state/pid"
  if kill -0 "$pid" 2>/dev/null; then
    echo "board: the agent (pid $pid) is still running" >&2
    return 1
  fi
  echo "board: stopped (pid $pid); last lines of its log:"
  tail -3 "$state/agent.log" || true
}

case $command in
  start) start "${3:-}" "${4:-}" "${5:-}" ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop STATE_DIR ..." >&2; exit 2 ;;
esac
