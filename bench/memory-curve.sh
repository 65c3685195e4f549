#!/usr/bin/env bash
# The service's resident memory (RSS) over a load and a burst of streams: fresh, after ingesting the corpus, at the
# peak of a burst of FULL streams, right after it, and 60 s later. One line per GC setting, so that settings can be
# compared on the same work:
#   bench/memory-curve.sh [SETTING...]     settings: default, datas, conserve, datas-conserve, workstation, hardlimit
# (default: all). Knobs: MEMORY_STREAMS (16 concurrent FULL streams), MEMORY_ROUNDS (2 bursts), MEMORY_QUIET (60 s).
# Needs a Release build (dotnet build CableService.sln -c Release) and PostgreSQL: CABLES_DATABASE, or PG* variables, or
# it wraps itself in a throwaway pg_virtualenv cluster. The corpus is ../shared/corpus/cables (about 4,600 cables).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if [ -z "${CABLES_DATABASE:-}" ] && [ -z "${PGHOST:-}" ]; then
    exec pg_virtualenv -o fsync=off -o max_connections=200 bash "$0" "$@"
fi

settings=("$@")
[ ${#settings[@]} -gt 0 ] || settings=(default datas conserve datas-conserve workstation hardlimit)
streams=${MEMORY_STREAMS:-16}
rounds=${MEMORY_ROUNDS:-2}
quiet=${MEMORY_QUIET:-60}
corpus=${CABLES_SHARED_DIR:-$root/../shared}/corpus/cables
port=${MEMORY_PORT:-5290}
server="http://127.0.0.1:$port"
cablectl() { dotnet "$root/src/Cables.Cli/bin/Release/net10.0/cablectl.dll" "$@"; }
rss_mb() { awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }

gc_env() {
    case "$1" in
        default) echo "" ;;                                            # as shipped: server GC, DATAS off
        datas) echo "DOTNET_GCDynamicAdaptationMode=1" ;;              # server GC that sizes its heaps to the load
        conserve) echo "DOTNET_GCConserveMemory=5" ;;                  # compacts sooner to give memory back
        datas-conserve) echo "DOTNET_GCDynamicAdaptationMode=1 DOTNET_GCConserveMemory=5" ;;
        workstation) echo "DOTNET_gcServer=0" ;;
        hardlimit) echo "DOTNET_GCHeapHardLimit=0x20000000" ;;         # 512 MiB, as a container limit sets it
        *) echo "unknown setting $1" >&2; exit 2 ;;
    esac
}

printf '%-15s %8s %10s %10s %10s %12s %10s\n' setting fresh_MB loaded_MB peak_MB after_MB "after_${quiet}s_MB" load_s
for setting in "${settings[@]}"; do
    db="memory_$(date +%s)_$$"
    if [ -n "${CABLES_DATABASE:-}" ]; then
        connection=$CABLES_DATABASE
    else
        psql -X -q -d postgres -c "CREATE DATABASE $db" >/dev/null
        connection="Host=${PGHOST};Port=${PGPORT:-5432};Username=${PGUSER:-postgres};Password=${PGPASSWORD:-};Database=$db"
    fi

    # shellcheck disable=SC2046
    env $(gc_env "$setting") CABLES_DATABASE="$connection" Cables__Tokens__SigningKey="$(head -c 32 /dev/zero | base64)" \
        dotnet "$root/src/CableService/bin/Release/net10.0/CableService.dll" --urls "$server" --Logging:LogLevel:Default=Warning \
        >"/tmp/memory-curve.$setting.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 120); do cablectl count --server "$server" >/dev/null 2>&1 && break; sleep 0.5; done
    sleep 5
    fresh=$(rss_mb "$pid")

    started=$(date +%s)
    cablectl ingest "$corpus" --server "$server" --allow-rejects --rejects "/tmp/memory-curve.$setting.rejects" >/dev/null
    load_s=$(( $(date +%s) - started ))
    loaded=$(rss_mb "$pid")

    peak=$loaded
    for _ in $(seq 1 "$rounds"); do
        jobs_=()
        for _ in $(seq 1 "$streams"); do
            cablectl query --full --format jsonl --server "$server" >/dev/null & jobs_+=($!)
        done
        alive=1
        while [ $alive = 1 ]; do
            now=$(rss_mb "$pid"); [ "$now" -gt "$peak" ] && peak=$now
            sleep 0.5
            alive=0; for j in "${jobs_[@]}"; do kill -0 "$j" 2>/dev/null && alive=1; done
        done
        wait "${jobs_[@]}" || true
    done
    after=$(rss_mb "$pid")
    sleep "$quiet"
    later=$(rss_mb "$pid")
    kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
    [ -n "${CABLES_DATABASE:-}" ] || psql -X -q -d postgres -c "DROP DATABASE $db WITH (FORCE)" >/dev/null
    printf '%-15s %8s %10s %10s %10s %12s %10s\n' "$setting" "$fresh" "$loaded" "$peak" "$after" "$later" "$load_s"
done
