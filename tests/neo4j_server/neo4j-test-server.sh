#!/usr/bin/env bash
# Start/stop a throwaway embedded Neo4j Community 5.26 server (Bolt on 127.0.0.1, no auth) for tests.
#
#   neo4j-test-server.sh build          # compile launcher + copy jars to target/lib (no-op when up to date)
#   neo4j-test-server.sh start [PORT]   # default 7687; prints NEO4J_URI=bolt://127.0.0.1:PORT on stdout
#   neo4j-test-server.sh stop           # TERM (then KILL), remove the data dir
#   neo4j-test-server.sh status
#
# Env: NEO4J_TEST_HEAP (default 2g), NEO4J_TEST_PAGECACHE_MB (default 512), NEO4J_TEST_JAVA_OPTS (extra JVM
# flags), NEO4J_TEST_START_TIMEOUT (s, default 120), NEO4J_TEST_STOP_TIMEOUT (s, default 30).
# Everything except the NEO4J_URI line goes to stderr, so `eval "$(... start)"` works.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TARGET="$HERE/target"
PID_FILE="$TARGET/server.pid"
LOG_FILE="$TARGET/server.log"
DATA_FILE="$TARGET/server.datadir"
PORT_FILE="$TARGET/server.port"
STAMP="$TARGET/.build-stamp"
MAIN_CLASS=chainmap.testserver.Neo4jTestServer

log() { echo "neo4j-test-server: $*" >&2; }

find_java() {
    if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then echo "$JAVA_HOME/bin/java"; return; fi
    command -v java || true
}

is_built() {
    [[ -f "$STAMP" && -f "$TARGET/classes/chainmap/testserver/Neo4jTestServer.class" ]] || return 1
    compgen -G "$TARGET/lib/neo4j-bolt-*.jar" >/dev/null || return 1
    [[ "$HERE/pom.xml" -ot "$STAMP" ]] || return 1
    [[ -z "$(find "$HERE/src" -newer "$STAMP" -print -quit)" ]]
}

cmd_build() {
    if is_built; then return 0; fi
    if ! command -v mvn >/dev/null; then log "mvn not found: install Maven 3.8+ to build the launcher"; exit 3; fi
    log "building launcher (first run downloads Neo4j jars into ~/.m2) ..."
    rm -rf "${TARGET:?}/lib" # drop jars of an older Neo4j version
    mkdir -p "$TARGET"
    if ! mvn -B -ntp -f "$HERE/pom.xml" package >"$TARGET/build.log" 2>&1; then
        log "maven build failed; tail of $TARGET/build.log:"; tail -n 40 "$TARGET/build.log" >&2; exit 1
    fi
    touch "$STAMP"
}

pid_alive() { # our server, not a recycled pid
    [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null || return 1
    local cmd; cmd="$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true)"
    [[ "$cmd" == *"$MAIN_CLASS"* ]]
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

cleanup_data() {
    if [[ -f "$DATA_FILE" ]]; then
        local d; d="$(cat "$DATA_FILE")"
        if [[ -f "$d/logs/debug.log" ]]; then cp "$d/logs/debug.log" "$TARGET/debug.log" || true; fi
        if [[ "$d" == */chainmap-neo4j.* && -d "$d" ]]; then rm -rf "$d"; fi # only dirs we created
    fi
    rm -f "$DATA_FILE" "$PID_FILE" "$PORT_FILE"
}

fail_start() {
    log "server did not come up: $1"
    { echo "--- tail of $LOG_FILE"; tail -n 40 "$LOG_FILE" 2>/dev/null || true
      local d; d="$(cat "$DATA_FILE" 2>/dev/null || true)"
      if [[ -f "$d/logs/debug.log" ]]; then echo "--- tail of debug.log"; grep -E 'ERROR|WARN|Exception' "$d/logs/debug.log" | tail -n 20 || true; fi
    } >&2
    cmd_stop >/dev/null 2>&1 || true
    exit 1
}

cmd_start() {
    local port="${1:-7687}"
    [[ "$port" =~ ^[0-9]+$ ]] || { log "bad port: $port"; exit 2; }
    local java; java="$(find_java)"
    if [[ -z "$java" ]]; then log "java not found: install a JDK 17 or 21 (e.g. apt-get install openjdk-17-jdk-headless)"; exit 3; fi

    if [[ -f "$PID_FILE" ]] && pid_alive "$(cat "$PID_FILE")"; then
        local old; old="$(cat "$PORT_FILE" 2>/dev/null || echo "?")"
        if [[ "$old" == "$port" ]]; then
            log "already running (pid $(cat "$PID_FILE"))"; echo "NEO4J_URI=bolt://127.0.0.1:$port"; return 0
        fi
        log "already running on port $old (pid $(cat "$PID_FILE")); run stop first"; exit 1
    fi
    cleanup_data
    if port_open "$port"; then log "port $port is already in use by another process"; exit 1; fi

    cmd_build
    local data; data="$(mktemp -d "${TMPDIR:-/tmp}/chainmap-neo4j.XXXXXX")"
    echo "$data" >"$DATA_FILE"
    echo "$port" >"$PORT_FILE"

    # --add-opens: lets Neo4j use direct buffers and native fadvise/fallocate (otherwise WARNs in debug.log).
    # shellcheck disable=SC2086
    nohup "$java" -Xms512m "-Xmx${NEO4J_TEST_HEAP:-2g}" -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow \
        --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
        --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
        -Dio.netty.tryReflectionSetAccessible=true -Dlog4j2.disable.jmx=true \
        "-Dneo4j.test.pagecacheMb=${NEO4J_TEST_PAGECACHE_MB:-512}" ${NEO4J_TEST_JAVA_OPTS:-} \
        -cp "$TARGET/classes:$TARGET/lib/*" "$MAIN_CLASS" "$port" "$data" \
        </dev/null >"$LOG_FILE" 2>&1 &
    local pid=$!
    echo "$pid" >"$PID_FILE"

    local deadline=$((SECONDS + ${NEO4J_TEST_START_TIMEOUT:-120}))
    until grep -q "^READY bolt://127.0.0.1:$port" "$LOG_FILE" 2>/dev/null && port_open "$port"; do
        kill -0 "$pid" 2>/dev/null || fail_start "process $pid exited"
        ((SECONDS < deadline)) || fail_start "timed out after ${NEO4J_TEST_START_TIMEOUT:-120}s"
        sleep 0.25
    done
    log "up (pid $pid, data $data)"
    echo "NEO4J_URI=bolt://127.0.0.1:$port"
}

cmd_stop() {
    local pid; pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    if pid_alive "$pid"; then
        kill -TERM "$pid" 2>/dev/null || true
        local deadline=$((SECONDS + ${NEO4J_TEST_STOP_TIMEOUT:-30}))
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
        if kill -0 "$pid" 2>/dev/null; then
            log "pid $pid ignored TERM, sending KILL"; kill -KILL "$pid" 2>/dev/null || true
            while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
        fi
        log "stopped (pid $pid)"
    else
        log "not running"
    fi
    cleanup_data
}

cmd_status() {
    local pid; pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    if pid_alive "$pid"; then echo "running pid=$pid port=$(cat "$PORT_FILE" 2>/dev/null)"; else echo "stopped"; return 1; fi
}

case "${1:-}" in
    build) cmd_build ;;
    start) cmd_start "${2:-7687}" ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *) echo "usage: $0 {build|start [PORT]|stop|status}" >&2; exit 2 ;;
esac
