#!/usr/bin/env bash
# Starts and stops moto (an AWS wire-protocol server) on 127.0.0.1 for the pam-aws
# tests, which read its address from PAM_AWS_ENDPOINT.
#
#   eval "$(scripts/moto.sh start)"   # installs moto if needed, starts it, prints exports
#   scripts/moto.sh env               # prints the exports of the running server
#   scripts/moto.sh stop              # stops the server this script started
#
# The port is MOTO_PORT if set, else a free one. Only `export` lines go to stdout; all
# progress goes to stderr. moto runs from its own venv at .cache/venv-moto (PyPI
# moto[server] 5.2.5); its pid, port and log are under .cache/moto/.
#
# Beside moto runs scripts/moto_proxy.py (exported as PAM_MOTO_PROXY): moto's Step
# Functions engine calls Lambda at localhost:<its MOTO_PORT setting>, so moto is told
# the proxy's port, and the proxy hands Lambda invocations to the emulator a test
# registers (cargo-lambda) and everything else to moto.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
venv="$root/.cache/venv-moto"
state="$root/.cache/moto"
moto_version="5.2.5"

say() { printf 'moto.sh: %s\n' "$*" >&2; }

install() {
  if [ -x "$venv/bin/moto_server" ] &&
    "$venv/bin/python" -c "import moto, sys; sys.exit(moto.__version__ != '$moto_version')" 2>/dev/null; then
    return
  fi
  say "installing moto[server]==$moto_version into $venv"
  if ! command -v python3 >/dev/null || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    say "python3 with venv missing: apt-get install python3 python3-venv"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv >&2
  fi
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$moto_version" >&2
}

running_pid() {
  [ -f "$state/pid" ] || return 1
  local pid
  pid=$(cat "$state/pid")
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

print_env() {
  local port
  port=$(cat "$state/port")
  echo "export PAM_AWS_ENDPOINT=http://127.0.0.1:$port"
  echo "export MOTO_PORT=$port"
  echo "export PAM_MOTO_PROXY=http://127.0.0.1:$(cat "$state/proxy_port")"
}

proxy_running() {
  [ -f "$state/proxy_pid" ] && kill -0 "$(cat "$state/proxy_pid")" 2>/dev/null
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  if running_pid >/dev/null && proxy_running; then
    say "already running (pid $(cat "$state/pid"))"
    print_env
    return
  fi
  stop >/dev/null 2>&1 || true
  install
  mkdir -p "$state"
  local port="${MOTO_PORT:-$(free_port)}"
  local proxy_port
  proxy_port=$(free_port)
  say "starting moto_server on 127.0.0.1:$port (log: $state/server.log), its proxy on $proxy_port"
  # setsid: the server outlives this script and is not killed with its process group.
  MOTO_PORT="$proxy_port" setsid "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" \
    >"$state/server.log" 2>&1 </dev/null &
  echo $! >"$state/pid"
  echo "$port" >"$state/port"
  setsid "$venv/bin/python" "$root/scripts/moto_proxy.py" "$proxy_port" "$port" \
    >"$state/proxy.log" 2>&1 </dev/null &
  echo $! >"$state/proxy_pid"
  echo "$proxy_port" >"$state/proxy_port"
  for _ in $(seq 1 100); do
    if python3 - "$port" <<'EOF' 2>/dev/null; then
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/moto-api/data.json", timeout=1).read()
EOF
      say "ready"
      print_env
      return
    fi
    if ! running_pid >/dev/null; then
      say "moto_server exited; its log:"
      cat "$state/server.log" >&2
      exit 1
    fi
    sleep 0.2
  done
  say "moto_server did not answer within 20 s; its log:"
  cat "$state/server.log" >&2
  exit 1
}

stop() {
  local pid
  if pid=$(running_pid); then
    kill "$pid"
    say "stopped pid $pid"
  else
    say "not running"
  fi
  if proxy_running; then
    kill "$(cat "$state/proxy_pid")"
  fi
  rm -f "$state/pid" "$state/port" "$state/proxy_pid" "$state/proxy_port"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
env)
  running_pid >/dev/null || {
    say "not running"
    exit 1
  }
  print_env
  ;;
install) install ;;
*)
  echo "usage: $0 start|stop|env|install" >&2
  exit 2
  ;;
esac
