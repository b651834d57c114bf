# Sourced by scripts/check.sh: make sure the [ray] extra is in the virtualenv and a one-node Ray
# cluster (a head on loopback, 2 CPUs, a 200 MB object store, no dashboard, no usage stats) is up
# for tests/batch, then export PUSHUP_COACH_TEST_RAY=127.0.0.1:PORT. pushup_ray_stop stops it;
# check.sh calls that from an EXIT trap, so it stops even when pytest fails.
#
# Each checkout gets its own head: a port and folder derived from the checkout's path, because Ray
# workers run the code of the checkout that started the head, and two checkouts' test runs must
# not share (or stop) each other's. The head runs as `ray start --block` in a process group of its
# own, whose id is kept in the folder: stopping signals that group only, never every Ray process
# on the machine as `ray stop` would.
#
# Idempotent: a head this checkout started is reused. It is sourced, so it never calls `exit`, and
# every command that may fail is guarded so the caller's `set -euo pipefail` keeps working. On any
# failure it says why and leaves PUSHUP_COACH_TEST_RAY unset, so the Ray tests skip with that
# reason instead of the whole run failing.

_pushup_ray_slot="$(( $(pwd -P | cksum | cut -d' ' -f1) % 100 ))"
PUSHUP_RAY_PORT="${PUSHUP_RAY_PORT:-$(( 63700 + _pushup_ray_slot ))}"  # above Linux's ephemeral ports
PUSHUP_RAY_DIR="${PUSHUP_RAY_DIR:-/tmp/pushup-coach-ray-$PUSHUP_RAY_PORT}"  # short: Ray's sockets
PUSHUP_RAY_OBJECT_STORE_BYTES="${PUSHUP_RAY_OBJECT_STORE_BYTES:-200000000}"
PUSHUP_RAY_START_WAIT_S="${PUSHUP_RAY_START_WAIT_S:-60}"
_PUSHUP_RAY_VENV="${VENV:-.venv}"
_PUSHUP_RAY_BIN="$_PUSHUP_RAY_VENV/bin/ray"
# On Linux Ray swaps 127.0.0.1 for the machine's address (ray._private.services.
# resolve_ip_for_localhost) and its servers listen on every interface; with this set to 0 the node
# is 127.0.0.1 and everything listens on loopback only. Drivers (the tests) need it too, to find
# their local raylet at 127.0.0.1, so it stays exported.
export RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0
export RAY_USAGE_STATS_ENABLED=0

_pushup_ray_install() {
  if "$_PUSHUP_RAY_VENV/bin/python" -c "import ray" >/dev/null 2>&1; then
    return 0
  fi
  echo "ray.sh: installing the [ray] extra into $_PUSHUP_RAY_VENV (about 80 MB)" >&2
  "$_PUSHUP_RAY_VENV/bin/python" -m pip install -q -e '.[ray]' </dev/null >&2 || return 1
  [ -x "$_PUSHUP_RAY_BIN" ]
}

_pushup_ray_port_open() {
  # The head's port answers (`ray status` would wait ~45 s for a head that is not there).
  (exec 3<>"/dev/tcp/127.0.0.1/$PUSHUP_RAY_PORT") 2>/dev/null
}

_pushup_ray_ours() {
  # The process group this script started is alive.
  local group
  group="$(cat "$PUSHUP_RAY_DIR/head.pgid" 2>/dev/null)" || return 1
  [ -n "$group" ] && kill -0 -- "-$group" 2>/dev/null
}

_pushup_ray_start() {
  local waited=0
  if _pushup_ray_ours && _pushup_ray_port_open; then
    return 0
  fi
  if _pushup_ray_port_open; then
    echo "ray.sh: port $PUSHUP_RAY_PORT is taken by something this checkout did not start;" \
      "set PUSHUP_RAY_PORT to another port" >&2
    return 1
  fi
  mkdir -p "$PUSHUP_RAY_DIR" || return 1
  # setsid: a process group of its own (its id is the pid), so the stop reaches all of it.
  setsid "$_PUSHUP_RAY_BIN" start --head --block --port="$PUSHUP_RAY_PORT" \
    --num-cpus=2 --object-store-memory="$PUSHUP_RAY_OBJECT_STORE_BYTES" \
    --include-dashboard=false --disable-usage-stats \
    --temp-dir="$PUSHUP_RAY_DIR" </dev/null >"$PUSHUP_RAY_DIR/start.log" 2>&1 &
  echo "$!" >"$PUSHUP_RAY_DIR/head.pgid"
  until _pushup_ray_port_open && [ -S "$PUSHUP_RAY_DIR/session_latest/sockets/raylet" ]; do
    if ! _pushup_ray_ours || [ "$waited" -ge "$PUSHUP_RAY_START_WAIT_S" ]; then
      echo "ray.sh: the Ray head did not start, see $PUSHUP_RAY_DIR/start.log" >&2
      pushup_ray_stop
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

# Stops the head this script started (its process group); safe to call when none is running.
pushup_ray_stop() {
  local group waited=0
  _pushup_ray_ours || return 0
  group="$(cat "$PUSHUP_RAY_DIR/head.pgid")"
  kill -TERM -- "-$group" 2>/dev/null || true
  while kill -0 -- "-$group" 2>/dev/null && [ "$waited" -lt 20 ]; do
    sleep 0.5
    waited=$((waited + 1))
  done
  kill -KILL -- "-$group" 2>/dev/null || true
  rm -f "$PUSHUP_RAY_DIR/head.pgid"
  echo "ray.sh: Ray head stopped" >&2
  return 0
}

_pushup_ray_setup() {
  _pushup_ray_install || return 1
  _pushup_ray_start || return 1
  export PUSHUP_COACH_TEST_RAY="127.0.0.1:$PUSHUP_RAY_PORT"
  echo "ray.sh: Ray head ready on 127.0.0.1:$PUSHUP_RAY_PORT (PUSHUP_COACH_TEST_RAY exported)" >&2
}

if ! _pushup_ray_setup; then
  echo "ray.sh: Ray unavailable; the Ray batch tests will skip" >&2
fi
true
