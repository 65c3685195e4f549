#!/usr/bin/env bash
# A mixed soak of the service on its own PostgreSQL: ingest jobs (cablectl, resumed after faults), FULL streams and
# counts run in a loop while faults are injected on a schedule: the service killed with SIGKILL and restarted,
# PostgreSQL stopped -m immediate and restarted, cablectl killed and resumed. At the end every corpus cable must be
# stored once and the service must answer; RSS and errors are logged every 10 s.
#   bench/soak.sh [MINUTES]          (default 30; a 2-minute run checks the script itself)
# Needs a Release build and PostgreSQL's server binaries (pg_ctl, initdb); it makes a throwaway cluster of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
minutes=${1:-30}
corpus=${CABLES_SHARED_DIR:-$root/../shared}/corpus/cables
work=$(mktemp -d /tmp/soak.XXXXXX)
port=${SOAK_PORT:-5390}
pg_port=${SOAK_PG_PORT:-55490}
server="http://127.0.0.1:$port"
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cablectl() { dotnet "$root/src/Cables.Cli/bin/Release/net10.0/cablectl.dll" "$@"; }
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$work/soak.log"; }

chown postgres "$work" 2>/dev/null || true
as_postgres "$bin/initdb" -D "$work/pg" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
pg_start() { as_postgres "$bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -o "-c port=$pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work -c max_connections=100" start >/dev/null; }
pg_start
connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"

service_pid=
service_start() {
    CABLES_DATABASE="$connection" Cables__Tokens__SigningKey="$(head -c 32 /dev/zero | base64)" \
        dotnet "$root/src/CableService/bin/Release/net10.0/CableService.dll" --urls "$server" --Logging:LogLevel:Default=Warning \
        >>"$work/service.log" 2>&1 &
    service_pid=$!
    for _ in $(seq 1 120); do cablectl count --server "$server" >/dev/null 2>&1 && return; sleep 0.5; done
    log "service did not answer after a restart"; return 1
}
cleanup() {
    [ -n "$service_pid" ] && kill -9 "$service_pid" 2>/dev/null || true
    kill $(jobs -p) 2>/dev/null || true
    as_postgres "$bin/pg_ctl" -D "$work/pg" -m immediate -w stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
service_start

end=$(( $(date +%s) + minutes * 60 ))
errors=0
ingest_pid=
ingest() { cablectl ingest "$corpus" --server "$server" --resume "$work/state" --rejects "$work/rejects.jsonl" --allow-rejects >>"$work/ingest.log" 2>&1 & ingest_pid=$!; }
ingest
round=0
while [ "$(date +%s)" -lt "$end" ]; do
    round=$((round + 1))
    # Readers: a FULL stream and counts, every round; their failures during a fault are expected and counted.
    for _ in 1 2; do cablectl query --full --format jsonl --limit 500 --server "$server" >/dev/null 2>>"$work/reads.log" || errors=$((errors + 1)); done
    cablectl count --server "$server" >/dev/null 2>>"$work/reads.log" || errors=$((errors + 1))
    case $((round % 6)) in
        1) log "fault: service SIGKILL"; kill -9 "$service_pid"; wait "$service_pid" 2>/dev/null || true; sleep 1; service_start ;;
        3) log "fault: PostgreSQL stop -m immediate"; as_postgres "$bin/pg_ctl" -D "$work/pg" -m immediate -w stop >/dev/null; sleep 1; pg_start ;;
        # A finished job is started again first, so the kill always lands mid-job (the corpus loads in seconds).
        5) kill -0 "$ingest_pid" 2>/dev/null || { ingest; sleep 1; }
           log "fault: cablectl SIGKILL"; kill -9 "$ingest_pid"; wait "$ingest_pid" 2>/dev/null || true ;;
    esac
    # A finished job (or a killed one) is started again: resumed, or a re-ingest of the same cables (all UNCHANGED).
    kill -0 "$ingest_pid" 2>/dev/null || ingest
    log "round $round: RSS $(awk '/VmRSS/ { printf "%d MB", $2 / 1024 }' "/proc/$service_pid/status"), read failures so far $errors"
    sleep 10
done

kill -0 "$ingest_pid" 2>/dev/null && wait "$ingest_pid" || true
rm -f "$work/state"
cablectl ingest "$corpus" --server "$server" --resume "$work/state" --rejects "$work/rejects.final.jsonl" --allow-rejects >>"$work/ingest.log" 2>&1
stored=$(psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -Atc "SELECT count(*) FROM cables")
answered=$(cablectl count --server "$server")
rejected=$(wc -l <"$work/rejects.final.jsonl")
log "end: $stored cables stored, the service counts $answered; the final pass over every file: $(tail -1 "$work/ingest.log"); $rejected rejected; $errors read failures during faults"
# The final pass re-sent every file: what it created had never been stored (an item lost would show here only if it
# had been acknowledged, which the chaos tests check item by item); the service must answer what the table holds.
[ "$stored" = "$answered" ] || { log "FAILED: the service counts $answered, the table holds $stored"; exit 1; }
log "passed; logs in $work"
