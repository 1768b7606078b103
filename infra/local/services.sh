#!/usr/bin/env bash
# Local AWS stand-ins without Docker: DynamoDB Local (Java) and fauxqs (SQS + SNS, Node), both on 127.0.0.1.
#
#   services.sh tools                      download/compile into .cache/ (cached, idempotent)
#   services.sh up   [--lease NAME] [--owner PID]
#   services.sh down [--lease NAME]
#   services.sh run  -- COMMAND...         up, run COMMAND, down (always), exit with COMMAND's status
#   services.sh status
#
# A service already answering on its port (e.g. one `make run` started) is reused and never stopped here:
# only processes recorded in .cache/run/<service>-<port>.pid were started by this script. Several runs
# (two engineers' `make test`, or `make services-up` plus `make test`) can share the services: each holds a
# lease in .cache/run/leases-<ddb port>-<sqs port>/, and `down` stops the services only when the last lease
# is gone. A lease with an owner pid lapses when that process dies, so a killed run cannot pin them forever.
#
# Environment: DDB_PORT (8000), SQS_PORT (4566), SERVICES_WAIT_SECONDS (60).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="$ROOT/.cache"
RUN="$CACHE/run"

DDB_SIMULATOR_VERSION="2.9.30" # npm amplify-dynamodb-simulator; ships DynamoDB Local 1.25.1
FAUXQS_VERSION="1.9.2"         # 2.x needs Node 22
DDB_DIR="$CACHE/dynamodb-local"
LOOPBACK_SRC="$ROOT/infra/local/DynamoDBLocalLoopback.java"
LOOPBACK_DIR="$CACHE/dynamodb-local-loopback"
FAUXQS_DIR="$CACHE/fauxqs"
FAUXQS_LAUNCHER="$ROOT/infra/local/fauxqs.mjs"

DDB_PORT="${DDB_PORT:-8000}"
SQS_PORT="${SQS_PORT:-4566}"
WAIT_SECONDS="${SERVICES_WAIT_SECONDS:-60}"
# State is per port pair, so services on other ports (DDB_PORT=18000 ...) are managed independently.
LEASES="$RUN/leases-$DDB_PORT-$SQS_PORT"

log() { printf 'services: %s\n' "$*" >&2; }
die() {
	log "$*"
	exit 1
}

need() {
	local cmd
	for cmd in "$@"; do
		command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' is required but not on PATH"
	done
}

# lock FILE / unlock: serialise concurrent callers (flock is missing on macOS; there we run unlocked).
# Started services must not inherit fd 9, or they would hold the lock for their whole life.
lock() {
	mkdir -p "$(dirname "$1")"
	exec 9>"$1"
	if command -v flock >/dev/null 2>&1; then
		flock 9
	fi
}
unlock() { exec 9>&-; }

# ---------------------------------------------------------------------------------------------------- tools

install_dynamodb_local() {
	if [[ "$(cat "$DDB_DIR/.version" 2>/dev/null)" == "$DDB_SIMULATOR_VERSION" ]]; then
		return
	fi
	need npm tar
	log "downloading DynamoDB Local (npm amplify-dynamodb-simulator@$DDB_SIMULATOR_VERSION)"
	local tmp
	tmp="$(mktemp -d "$CACHE/tmp.XXXXXX")"
	(cd "$tmp" && npm pack --silent "amplify-dynamodb-simulator@$DDB_SIMULATOR_VERSION" >/dev/null)
	# Only the emulator folder: the package's JavaScript wrapper is not needed.
	tar -xzf "$tmp"/amplify-dynamodb-simulator-*.tgz -C "$tmp" package/emulator
	[[ -f "$tmp/package/emulator/DynamoDBLocal.jar" ]] || die "DynamoDBLocal.jar missing from the npm package"
	echo "$DDB_SIMULATOR_VERSION" >"$tmp/package/emulator/.version"
	rm -rf "$DDB_DIR"
	mv "$tmp/package/emulator" "$DDB_DIR"
	rm -rf "$tmp"
}

compile_loopback_launcher() {
	local class="$LOOPBACK_DIR/DynamoDBLocalLoopback.class"
	if [[ -f "$class" && "$class" -nt "$LOOPBACK_SRC" && "$class" -nt "$DDB_DIR/.version" ]]; then
		return
	fi
	need javac
	log "compiling the DynamoDB Local loopback launcher"
	rm -rf "$LOOPBACK_DIR"
	mkdir -p "$LOOPBACK_DIR"
	javac -nowarn -d "$LOOPBACK_DIR" -cp "$DDB_DIR/DynamoDBLocal.jar:$DDB_DIR/DynamoDBLocal_lib/*" "$LOOPBACK_SRC"
}

install_fauxqs() {
	local pkg="$FAUXQS_DIR/node_modules/fauxqs/package.json"
	if [[ -f "$pkg" ]] && grep -q "\"version\": \"$FAUXQS_VERSION\"" "$pkg"; then
		return
	fi
	need npm
	log "installing fauxqs@$FAUXQS_VERSION"
	npm install --silent --no-audit --no-fund --prefix "$FAUXQS_DIR" "fauxqs@$FAUXQS_VERSION" >/dev/null
}

cmd_tools() {
	need java node
	mkdir -p "$CACHE"
	lock "$CACHE/tools.lock"
	install_dynamodb_local
	compile_loopback_launcher
	install_fauxqs
	unlock
}

# ------------------------------------------------------------------------------------------------- services

# Each service: name, port, a probe that proves it is the right kind of server, a start command, and a
# marker string that its process command line contains (guards against pid reuse when stopping).

probe_dynamodb() {
	curl -s -m 2 -X POST "http://127.0.0.1:$1/" \
		-H 'Content-Type: application/x-amz-json-1.0' \
		-H 'X-Amz-Target: DynamoDB_20120810.ListTables' \
		-H 'Authorization: AWS4-HMAC-SHA256 Credential=local/20200101/ap-southeast-3/dynamodb/aws4_request, SignedHeaders=host, Signature=0' \
		-d '{"Limit":1}' 2>/dev/null | grep -q '"TableNames"'
}

probe_fauxqs() {
	curl -s -m 2 "http://127.0.0.1:$1/health" 2>/dev/null | grep -q '"status":"ok"'
}

# start_NAME PORT runs in a background subshell; exec keeps the pid recorded from $! the service's own.
# setsid gives the service its own session, so a Ctrl-C aimed at a later command does not reach it.
# C1-only JIT and the serial GC roughly halve DynamoDB Local's start-up on a busy 2-core machine; test
# workloads are too short to profit from C2.
# It runs in .cache/run because it writes dynamodb-local-metadata.json into its working directory.
start_dynamodb() {
	cd "$RUN"
	DDB_LOCAL_TELEMETRY=0 exec setsid java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djava.library.path="$DDB_DIR/DynamoDBLocal_lib" -Dtanggap.bindHost=127.0.0.1 \
		-cp "$LOOPBACK_DIR:$DDB_DIR/DynamoDBLocal.jar" DynamoDBLocalLoopback \
		-sharedDb -inMemory -disableTelemetry -port "$1"
}

start_fauxqs() {
	FAUXQS_PORT="$1" FAUXQS_DEFAULT_REGION=ap-southeast-3 exec setsid node "$FAUXQS_LAUNCHER"
}

marker_dynamodb="DynamoDBLocalLoopback"
marker_fauxqs="$FAUXQS_LAUNCHER"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

port_of() { if [[ $1 == dynamodb ]]; then echo "$DDB_PORT"; else echo "$SQS_PORT"; fi; }
pid_file() { echo "$RUN/$1-$(port_of "$1").pid"; }
log_file() { echo "$RUN/$1-$(port_of "$1").log"; }

# recorded_pid NAME: prints the pid from the pid file if that process is still the service we started.
recorded_pid() {
	local file pid marker="marker_$1"
	file="$(pid_file "$1")"
	[[ -f "$file" ]] || return 1
	pid="$(cat "$file")"
	if [[ "$pid" =~ ^[0-9]+$ ]] && ps -ww -p "$pid" -o command= 2>/dev/null | grep -qF -- "${!marker}"; then
		echo "$pid"
		return 0
	fi
	rm -f "$file"
	return 1
}

ensure_service() {
	local name="$1" port="$2" pid
	if "probe_$name" "$port"; then
		if pid="$(recorded_pid "$name")"; then
			log "$name already running on 127.0.0.1:$port (pid $pid, started by this script)"
		else
			log "$name already answering on 127.0.0.1:$port; reusing it (not started here, will not stop it)"
		fi
		return
	fi
	if pid="$(recorded_pid "$name")"; then
		die "$name (pid $pid) is running but does not answer on port $port; run 'make services-down' first"
	fi
	if port_open "$port"; then
		die "port $port is taken by something that is not $name; choose another port (DDB_PORT / SQS_PORT)"
	fi
	[[ -f "$DDB_DIR/DynamoDBLocal.jar" && -d "$FAUXQS_DIR/node_modules/fauxqs" ]] || die "tools missing: run 'make tools'"

	"start_$name" "$port" </dev/null >"$(log_file "$name")" 2>&1 9>&- &
	echo $! >"$(pid_file "$name")"
	log "started $name on 127.0.0.1:$port (pid $!, log ${RUN#"$ROOT/"}/$name-$port.log)"
}

wait_ready() {
	local name="$1" port="$2" deadline=$((SECONDS + WAIT_SECONDS)) pid
	until "probe_$name" "$port"; do
		pid="$(cat "$(pid_file "$name")" 2>/dev/null || true)"
		if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
			rm -f "$(pid_file "$name")"
			tail -n 20 "$(log_file "$name")" >&2 || true
			die "$name exited during start-up"
		fi
		((SECONDS < deadline)) || die "$name did not answer on port $port within ${WAIT_SECONDS}s (see $(log_file "$name"))"
		sleep 0.1
	done
}

lease_live() {
	local file="$1" owner
	owner="$(cat "$file" 2>/dev/null || true)"
	[[ -z "$owner" ]] || kill -0 "$owner" 2>/dev/null
}

cmd_up() {
	local lease="manual" owner=""
	while (($#)); do
		case "$1" in
		--lease) lease="$2"; shift 2 ;;
		--owner) owner="$2"; shift 2 ;;
		*) die "up: unknown argument $1" ;;
		esac
	done
	need curl setsid
	mkdir -p "$LEASES"
	lock "$RUN/services.lock"
	local started=${EPOCHREALTIME:-$SECONDS}
	echo "$owner" >"$LEASES/$lease"
	UP_LEASE="$lease"
	ensure_service dynamodb "$DDB_PORT"
	ensure_service fauxqs "$SQS_PORT"
	wait_ready dynamodb "$DDB_PORT"
	wait_ready fauxqs "$SQS_PORT"
	unlock
	log "ready in $(awk -v a="$started" -v b="${EPOCHREALTIME:-$SECONDS}" 'BEGIN { printf "%.1fs", b - a }'): DynamoDB http://127.0.0.1:$DDB_PORT, SQS/SNS http://127.0.0.1:$SQS_PORT"
}

stop_recorded() {
	local name="$1" pid i
	if ! pid="$(recorded_pid "$name")"; then
		return
	fi
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "$name (pid $pid) ignored SIGTERM; killing it"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$(pid_file "$name")"
	log "stopped $name (pid $pid)"
}

cmd_down() {
	local lease="manual"
	while (($#)); do
		case "$1" in
		--lease) lease="$2"; shift 2 ;;
		*) die "down: unknown argument $1" ;;
		esac
	done
	mkdir -p "$LEASES"
	lock "$RUN/services.lock"
	rm -f "$LEASES/$lease"
	local file holders=()
	for file in "$LEASES"/*; do
		[[ -e "$file" ]] || continue
		if lease_live "$file"; then
			holders+=("$(basename "$file")")
		else
			rm -f "$file"
		fi
	done
	if ((${#holders[@]})); then
		unlock
		log "services still in use (${holders[*]}); leaving them running"
		return
	fi
	stop_recorded dynamodb
	stop_recorded fauxqs
	rmdir "$LEASES" 2>/dev/null || true
	unlock
}

cmd_status() {
	local name port pid
	for name in dynamodb fauxqs; do
		port="$(port_of "$name")"
		if "probe_$name" "$port"; then
			if pid="$(recorded_pid "$name")"; then
				echo "$name: up on 127.0.0.1:$port (pid $pid, started by make)"
			else
				echo "$name: up on 127.0.0.1:$port (not started by make)"
			fi
		else
			echo "$name: down (port $port)"
		fi
	done
	ls "$LEASES" 2>/dev/null | sed 's/^/lease: /' || true
}

cmd_run() {
	[[ "${1:-}" == "--" ]] && shift
	(($#)) || die "run: no command"
	local lease="run-$$" status=0
	trap 'cmd_down --lease "'"$lease"'"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	cmd_up --lease "$lease" --owner $$
	"$@" || status=$?
	exit "$status"
}

# A failed standalone `up` takes its lease back; what it did start stays recorded for `down`.
UP_LEASE=""
up_failed() {
	[[ -z "$UP_LEASE" ]] || rm -f "$LEASES/$UP_LEASE"
	log "start-up failed; 'make services-down' stops whatever was started"
}

case "${1:-}" in
tools) shift; cmd_tools "$@" ;;
up)
	shift
	trap up_failed EXIT
	cmd_up "$@"
	trap - EXIT
	;;
down) shift; cmd_down "$@" ;;
run) shift; cmd_run "$@" ;;
status) shift; cmd_status "$@" ;;
*) die "usage: $0 tools | up [--lease NAME] [--owner PID] | down [--lease NAME] | run -- COMMAND... | status" ;;
esac
