#!/usr/bin/env bash
# bench/run.sh: measure Portcullis as issue 4 asks, on this machine, with
# the server and the load generator sharing its cores.
#
#   bench/run.sh               both scenarios, 3 runs each
#   SCENARIOS=a bench/run.sh   only the bundled lists
#
# It builds portcullis, loadgen and gensynth, and for each scenario starts
# `portcullis serve` on a fresh data directory, waits for /readyz, runs
# bench/loadgen and stops the server:
#
#   a  the bundled UN, OFAC and UK lists (seeded on first start):
#      flat out on 64 connections, then a fixed rate of 20,000/s (RATE_A).
#   b  the bundled lists plus SYNTH_N (1,000,000) synthetic persons written by
#      bench/gensynth and imported with `portcullis import --list synthetic`
#      before the server starts: a fixed rate of 20,000/s (RATE_B), hits
#      derived from a sample of the synthetic list.
#   RATE_A and RATE_B may list several rates ("20000 5000 1000"): each is
#   measured in turn against the same server.
#
# Each load is measured RUNS times (loadgen -runs) and loadgen prints every
# run and the medians. The JSON reports, the server logs and the machine's
# load average before each step go to OUT (default bench/results/DATE, which
# git ignores). The targets: at least 20,000 screenings/s with p99 <= 5 ms
# with the bundled lists, p99 <= 10 ms with 1M synthetic entries.
#
# Settings (environment):
#   PORTCULLIS_API_KEYS  keys for the server, "gate:pck_…,carrier:pck_…";
#                        when unset a gate key is made for the run
#   SCENARIOS   "a b"       RUNS      3        DURATION  10s    WARMUP  2s
#   RATE_A      "20000"     RATE_B    "20000"  CONNS     64
#   SYNTH_N     1000000     PORT      18480    OUT       bench/results/DATE
#   READY_TIMEOUT  seconds to wait for /readyz (default 900: 1M entries
#                  take minutes to load)
#   SERVE_FLAGS    extra flags for `portcullis serve` (e.g. "--cache 0")
#   LOADGEN_FLAGS  extra flags for loadgen (e.g. "-mix clean=80,hit=10,near=10")
#   SEED           the first load's traveller seed (default 1); each load
#                  takes the next, so that no load meets the travellers of
#                  an earlier one in the server's decision cache
#
# Exit status: 0 when every step ran (a load with failed requests is
# reported, not fatal), 1 when a build, an import or a server start failed.
set -euo pipefail

cd "$(dirname "$0")/.."
SCENARIOS=${SCENARIOS:-a b}
RUNS=${RUNS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
RATE_A=${RATE_A:-20000}
RATE_B=${RATE_B:-20000}
CONNS=${CONNS:-64}
SYNTH_N=${SYNTH_N:-1000000}
PORT=${PORT:-18480}
READY_TIMEOUT=${READY_TIMEOUT:-900}
SERVE_FLAGS=${SERVE_FLAGS:-}
LOADGEN_FLAGS=${LOADGEN_FLAGS:-}
SEED=${SEED:-1}
OUT=${OUT:-bench/results/$(date -u +%Y%m%dT%H%M%SZ)}

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/portcullis-bench.XXXXXX")
SERVER_PID=""

cleanup() {
	stop_server
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '\n== %s\n' "$*"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime; }
note() { printf '%s  %-40s load average %s\n' "$(date -u +%T)" "$1" "$(loadavg)" | tee -a "$OUT/machine.txt"; }

if [ -z "${PORTCULLIS_API_KEYS:-}" ]; then
	id=$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
	secret=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
	export PORTCULLIS_API_KEYS="gate:pck_${id}_${secret}"
fi
export PORTCULLIS_API_KEYS

log "build"
go build -o "$WORK/portcullis" ./cmd/portcullis
go build -o "$WORK/loadgen" ./bench/loadgen
go build -o "$WORK/gensynth" ./bench/gensynth
{
	echo "host: $(uname -srm), $(nproc) cores, go $(go env GOVERSION)"
	echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown) (plus uncommitted changes: $(git status --porcelain 2>/dev/null | wc -l) files)"
} | tee "$OUT/machine.txt"

# start_server DATA LOG: start portcullis serve in the background and wait
# until /readyz answers 200 with "warm":true.
start_server() {
	local data=$1 logf=$2
	# shellcheck disable=SC2086 # SERVE_FLAGS is a list of flags
	"$WORK/portcullis" serve --data "$data" --listen "127.0.0.1:$PORT" --log-level warn $SERVE_FLAGS 2>"$logf" &
	SERVER_PID=$!
	local start=$SECONDS
	# Ready and warm: /readyz answers 200 once the lists are loaded, and
	# says "warm":true once the matcher's warm-up is over; measure the
	# steady state, not the first seconds after a start.
	until curl -fs "http://127.0.0.1:$PORT/readyz" 2>/dev/null | grep -q '"warm":true'; do
		if ! kill -0 "$SERVER_PID" 2>/dev/null; then
			echo "the server exited; its log:" >&2
			tail -20 "$logf" >&2
			SERVER_PID=""
			exit 1
		fi
		if [ $((SECONDS - start)) -ge "$READY_TIMEOUT" ]; then
			echo "the server was not ready and warm after $READY_TIMEOUT s" >&2
			exit 1
		fi
		sleep 0.5
	done
	echo "server ready in $((SECONDS - start)) s: $(curl -fs "http://127.0.0.1:$PORT/readyz")"
	note "server ready ($data)"
}

stop_server() {
	if [ -n "$SERVER_PID" ]; then
		kill -TERM "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
		SERVER_PID=""
	fi
}

# load NAME ARGS...: run loadgen against the server, RUNS times.
load() {
	local name=$1
	shift
	note "loadgen $name"
	# shellcheck disable=SC2086 # LOADGEN_FLAGS is a list of flags
	"$WORK/loadgen" -url "http://127.0.0.1:$PORT" -runs "$RUNS" -duration "$DURATION" -warmup "$WARMUP" \
		-seed "$SEED" -out "$OUT/$name.json" "$@" $LOADGEN_FLAGS | tee "$OUT/$name.txt" ||
		echo "(loadgen reported failed requests: see above)"
	SEED=$((SEED + 1))
	note "after $name"
}

for s in $SCENARIOS; do
	case $s in
	a)
		log "scenario a: bundled lists"
		start_server "$WORK/data-a" "$OUT/server-a.log"
		load a-flat -rate 0 -c "$CONNS"
		for rate in $RATE_A; do
			load "a-rate$rate" -rate "$rate" -c "$CONNS"
		done
		stop_server
		;;
	b)
		log "scenario b: bundled lists + $SYNTH_N synthetic entries"
		start_server "$WORK/data-b" "$OUT/server-b-seed.log" # seeds the bundled lists
		stop_server
		note "gensynth $SYNTH_N"
		"$WORK/gensynth" -n "$SYNTH_N" -out "$WORK/synthetic.jsonl"
		note "import synthetic"
		t0=$SECONDS
		"$WORK/portcullis" import --data "$WORK/data-b" --list synthetic --format jsonl \
			"$WORK/synthetic.jsonl" 2>"$OUT/import-b.log" | tee -a "$OUT/machine.txt"
		echo "import took $((SECONDS - t0)) s" | tee -a "$OUT/machine.txt"
		start_server "$WORK/data-b" "$OUT/server-b.log"
		for rate in $RATE_B; do
			load "b-rate$rate" -rate "$rate" -c "$CONNS" -targets "$WORK/synthetic.jsonl"
		done
		stop_server
		;;
	*)
		echo "unknown scenario $s: want a or b" >&2
		exit 1
		;;
	esac
done
log "results in $OUT"
