#!/usr/bin/env bash
# The performance harness: builds Release, starts a throwaway PostgreSQL 15 cluster (fsync and synchronous_commit
# on), generates the 250,000-cable set (cached in bench/out), runs the parse benchmark, times `cablectl ingest`
# through the service until every query shape answers over all of it, runs the query and memory benchmarks, then
# the raw COPY baseline, and prints the report it also writes to bench/out/report.md. See bench/README.md.
#
# Knobs (environment): BENCH_COUNT (250000), BENCH_SEED, BENCH_CONCURRENCY (cablectl --concurrency; its default
# when unset), BENCH_PG_PORT (55432), BENCH_PORT (5190), BENCH_SLOW_RATE (slow client, cables/s, 5000),
# BENCH_WATCH_COUNT (50000: cables the watch step ingests per round), BENCH_KEEP_PG=1 keeps the cluster's data directory afterwards, BENCH_SKIP="parse memory auth two-jobs watch copy" leaves out those steps
# (for quick comparisons while working; a recorded run leaves nothing out).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/bench/out
results=$out/results
corpus=$(cd "${BENCH_CORPUS:-../shared/corpus}" && pwd)
count=${BENCH_COUNT:-250000}
seed=${BENCH_SEED:-20101128}
pg_port=${BENCH_PG_PORT:-55432}
port=${BENCH_PORT:-5190}
server=http://127.0.0.1:$port
started=$(date +%s)

# Every log line records the load average: the machine may be shared, and the report says how busy it was.
log() { echo "[$(date -u +%H:%M:%S)] $* (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$out/run.log" >&2; }
now_ms() { date +%s%3N; }
dll() { echo "$root/$1/bin/Release/net10.0/$2.dll"; }
load() {
    dotnet "$(dll bench/Cables.Bench.Load Cables.Bench.Load)" "$@" --results "$results" --manifest "$out/cables.manifest.json" \
        --pg-pid "$(head -1 "$out/pg/postmaster.pid" 2>/dev/null || echo 0)"
}
cablectl() { dotnet "$(dll src/Cables.Cli cablectl)" "$@"; }
skipped() { [[ " ${BENCH_SKIP:-} " == *" $1 "* ]] && log "step $1 skipped (BENCH_SKIP)"; }

mkdir -p "$out" "$results"
rm -f "$results"/* "$out/run.log"

# --- Build (Release, only what the harness runs) ---
log "building Release"
projects=(bench/Cables.Bench.Generate bench/Cables.Bench.Load src/CableService src/Cables.Cli)
[ -d bench/Cables.Bench.Parse ] && projects+=(bench/Cables.Bench.Parse)
for project in "${projects[@]}"; do
    dotnet build "$project" -c Release --nologo -v q -clp:ErrorsOnly
done

# --- PostgreSQL: a throwaway cluster on disk, durable settings as in ../shared/PERF-NOTES.md ---
pg_bin=/usr/lib/postgresql/15/bin
[ -x "$pg_bin/initdb" ] || pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pg_data=$out/pg
pg_settings="fsync=on synchronous_commit=on shared_buffers=2GB max_wal_size=8GB"
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
service_pid=
two_pids=()
cleanup() {
    [ -n "$service_pid" ] && kill "$service_pid" 2>/dev/null && wait "$service_pid" 2>/dev/null || true
    [ "${#two_pids[@]}" -gt 0 ] && kill "${two_pids[@]}" 2>/dev/null || true
    as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -m fast stop >/dev/null 2>&1 || true
    [ "${BENCH_KEEP_PG:-0}" = 1 ] || rm -rf "$pg_data" "$out/copy"
}
trap cleanup EXIT

rm -rf "$pg_data" && mkdir -p "$pg_data"
[ "$(id -u)" = 0 ] && chown postgres: "$pg_data"
log "PostgreSQL cluster in $pg_data ($pg_settings)"
as_postgres "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_data/server.log" -w start \
    -o "$(printf -- '-c %s ' $pg_settings) -c max_connections=200 -c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$pg_data" >/dev/null
psql_() { psql -h 127.0.0.1 -p "$pg_port" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
database() { echo "Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$1;Maximum Pool Size=100"; }
psql_ -d postgres -c "CREATE DATABASE cables" -c "CREATE DATABASE cables_copy"

# --- The data set: regenerated only when the generator, seed, count or corpus change ---
key=$( (cat bench/Cables.Bench.Generate/*.cs bench/Cables.Bench.Generate/*.csproj; echo "$count $seed"; sha256sum "$corpus/truth.jsonl") | sha256sum | cut -c1-16)
if [ ! -f "$out/cables.csv" ] || [ "$(cat "$out/cables.key" 2>/dev/null)" != "$key" ]; then
    log "generating $count cables"
    dotnet "$(dll bench/Cables.Bench.Generate Cables.Bench.Generate)" --corpus "$corpus" --count "$count" --seed "$seed" \
        --out "$out/cables.csv" --manifest "$out/cables.manifest.json"
    echo "$key" > "$out/cables.key"
else
    log "using the cached set $out/cables.csv ($key)"
fi

# --- 1. Parse ---
if [ -d bench/Cables.Bench.Parse ] && ! skipped parse; then
    log "parse benchmark"
    timeout 600 dotnet "$(dll bench/Cables.Bench.Parse Cables.Bench.Parse)" --corpus "$corpus/cables" 2>&1 | tee "$results/parse.txt" || log "parse benchmark failed"
fi

# --- 2. Ingest through the service, timed until every query shape answers over all cables ---
log "starting the service on $server"
# appsettings.json leaves ASP.NET Core and gRPC at Information, which logs every request: quieter for the bench.
CABLES_DATABASE=$(database cables) dotnet "$(dll src/CableService CableService)" --urls "$server" \
    --Logging:LogLevel:Microsoft.AspNetCore=Warning --Logging:LogLevel:Grpc=Warning > "$out/service.log" 2>&1 &
service_pid=$!
for _ in $(seq 120); do
    cablectl count --server "$server" >/dev/null 2>&1 && break
    kill -0 "$service_pid" 2>/dev/null || { tail -20 "$out/service.log"; exit 1; }
    sleep 0.5
done

load expect-text --corpus "$corpus" --database "$(database cables)"

psql_ -d cables -c CHECKPOINT
wal_start=$(psql_ -d cables -Atc "SELECT pg_current_wal_lsn()")
log "ingesting $out/cables.csv"
load cpu --name cpu-before-ingest --server-pid "$service_pid"
rm -f "$out/ingest.end"
since=$(now_ms)
(
    rc=0
    TIMEFORMAT='%U %S'
    { time cablectl ingest "$out/cables.csv" --server "$server" --allow-rejects --rejects "$out/rejects.jsonl" \
        ${BENCH_CONCURRENCY:+--concurrency "$BENCH_CONCURRENCY"} > "$out/ingest.log" 2>&1 || rc=$?; } 2> "$out/ingest.cpu"
    echo "$rc $(now_ms)" > "$out/ingest.end.tmp" && mv "$out/ingest.end.tmp" "$out/ingest.end"
    # The job's own cost; the readings after readiness add the indexers' work since then.
    load cpu --name cpu-at-job-end --server-pid "$service_pid"
    psql_ -d cables -Atc "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$wal_start')::bigint" > "$out/ingest.wal"
) &
job=$!
load ready --server "$server" --since "$since" --job-pid "$job" --job-end-file "$out/ingest.end" --database "$(database cables)"
wait "$job" || true
read -r job_rc job_end < "$out/ingest.end"
load cpu --name cpu-after-ingest --server-pid "$service_pid"
client_cpu=$(awk '{ print $1 + $2 }' "$out/ingest.cpu")
wal_bytes=$(psql_ -d cables -Atc "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$wal_start')::bigint")
hwm=$(awk '/VmHWM/ { print $2 * 1024 }' "/proc/$service_pid/status")
jq -n --argjson s "$(( job_end - since ))" --argjson rc "$job_rc" --argjson wal "$wal_bytes" --argjson jobwal "$(cat "$out/ingest.wal")" --argjson hwm "$hwm" --argjson cpu "$client_cpu" \
    --arg summary "$(tail -n 3 "$out/ingest.log" | tr '\n' ' ')" \
    '{seconds: ($s / 1000), exitCode: $rc, walBytes: $wal, jobWalBytes: $jobwal, serverHighWaterBytes: $hwm, clientCpuSeconds: $cpu, summary: $summary}' > "$results/ingest.json"
log "ingest job: exit $job_rc after $(( (job_end - since) / 1000 )) s"

# --- 3. Queries and 4. memory, against the same service ---
# Readiness is measured by now. Quiesce first, as the baseline does: autovacuum of the rows just loaded may otherwise
# run during some queries and not others, and its CPU counts in the cluster's (the suspect for run 10, where a BASIC
# date row cost PostgreSQL 29 µs against run 9's 13 µs with the same read path).
log "vacuum and checkpoint before the queries"
psql_ -d cables -c "VACUUM (ANALYZE)" -c CHECKPOINT
log "query benchmarks"
load queries --server "$server" --server-pid "$service_pid"
if ! skipped memory; then
    log "slow-client memory benchmark"
    load memory --server "$server" --server-pid "$service_pid" --rate "${BENCH_SLOW_RATE:-5000}"
fi
kill "$service_pid" && wait "$service_pid" 2>/dev/null || true
service_pid=

# --- 3b. The same streams with authentication and clearance on (same database, warm) ---
# A bench-only signing key; the token withholds one restricting control, so every read states the clearance predicate.
if ! skipped auth; then
    log "query benchmarks with authentication and clearance"
    rm -rf "$out/auth" && mkdir -p "$out/auth"
    token=$(cablectl dev-token --signing-key "$out/auth/bench.pem" --scope cables.read --clearance top_secret \
        --controls noforn nodis exdis limdis stadis orcon propin --subject bench)
    CABLES_DATABASE=$(database cables) dotnet "$(dll src/CableService CableService)" --urls "$server" \
        --Cables:Auth:Mode=Jwt --Cables:Auth:Issuer=cablectl-dev --Cables:Auth:Audience=cables \
        --Cables:Auth:SigningKeyFiles:0="$out/auth/bench.pub.pem" \
        --Logging:LogLevel:Microsoft.AspNetCore=Warning --Logging:LogLevel:Grpc=Warning > "$out/service.auth.log" 2>&1 &
    service_pid=$!
    for _ in $(seq 120); do
        cablectl count --server "$server" --token "$token" >/dev/null 2>&1 && break
        kill -0 "$service_pid" 2>/dev/null || { tail -20 "$out/service.auth.log"; exit 1; }
        sleep 0.5
    done
    load queries --server "$server" --server-pid "$service_pid" --token "$token" --suffix -auth
    kill "$service_pid" && wait "$service_pid" 2>/dev/null || true
    service_pid=
fi

# --- 5. Two ingest jobs at once: two service instances on one new database, each job with half of the set ---
if ! skipped two-jobs; then
    log "two ingest jobs through two service instances"
    psql_ -d postgres -c "CREATE DATABASE cables_two"
    load split --csv "$out/cables.csv" --first "$out/cables.1.csv" --second "$out/cables.2.csv"
    for i in 1 2; do
        # The first instance migrates the new database; the second starts once it answers, so only one runs migrations.
        CABLES_DATABASE=$(database cables_two) dotnet "$(dll src/CableService CableService)" --urls "http://127.0.0.1:$((port + i))" \
            --Cables:MigrateOnStart=$([ "$i" = 1 ] && echo true || echo false) \
            --Logging:LogLevel:Microsoft.AspNetCore=Warning --Logging:LogLevel:Grpc=Warning > "$out/service.$i.log" 2>&1 &
        two_pids+=($!)
        for _ in $(seq 120); do
            cablectl count --server "http://127.0.0.1:$((port + i))" >/dev/null 2>&1 && break
            sleep 0.5
        done
    done
    since=$(now_ms)
    job_pids=()
    for i in 1 2; do
        ( rc=0; cablectl ingest "$out/cables.$i.csv" --server "http://127.0.0.1:$((port + i))" --allow-rejects --rejects "$out/rejects.$i.jsonl" \
            > "$out/ingest.$i.log" 2>&1 || rc=$?; echo "$rc" > "$out/ingest.$i.rc" ) &
        job_pids+=($!)
    done
    wait "${job_pids[@]}"
    two_seconds=$(awk -v ms="$(( $(now_ms) - since ))" 'BEGIN { print ms / 1000 }')
    kill "${two_pids[@]}" 2>/dev/null && wait "${two_pids[@]}" 2>/dev/null || true
    two_pids=()
    load two-jobs-check --database "$(database cables_two)" --single-database "$(database cables)" --seconds "$two_seconds" \
        --exit-codes "$(cat "$out/ingest.1.rc"),$(cat "$out/ingest.2.rc")"
    log "two ingest jobs: $two_seconds s"
    psql_ -d postgres -c "DROP DATABASE cables_two"
    rm -f "$out/cables.1.csv" "$out/cables.2.csv"
fi

# --- 6. Watch: the same job into a fresh database with no watcher, 100 idle ones, and 100 over varied filters, in turn ---
# Each round starts a new service over a new database; the job runs in the measuring program so that a delivery and
# its item's acknowledgement share one clock (docs/decisions/0006-watch-positions.md).
# The watchers all come from this one address, so the per-address stream cap (64 by default) is lifted for the step.
# The search indexer is off in these rounds: its batches (0.5-1 s of PostgreSQL CPU each) fall inside or outside a
# 10-20 s job by chance, a larger swing than the watchers' cost the step measures (docs/decisions/0006-watch-positions.md).
# Rounds alternate their order (none idle varied, then varied idle none) and each job starts after a CHECKPOINT: a
# fixed order with checkpoints landing mid-job skewed runs by their place in the sequence (docs/decisions/0006-watch-positions.md).
if ! skipped watch; then
    for round in 1 2 3 4; do
        kinds="none idle varied"
        if [ $((round % 2)) = 0 ]; then kinds="varied idle none"; fi
        for kind in $kinds; do
            watchers=$([ "$kind" = none ] && echo 0 || echo 100)
            log "watch step: round $round, $watchers watchers ($kind)"
            psql_ -d postgres -c "CREATE DATABASE cables_watch"
            CABLES_DATABASE=$(database cables_watch) dotnet "$(dll src/CableService CableService)" --urls "http://127.0.0.1:$((port + 3))" \
                --Cables:Grpc:MaxStreamsPerCaller=0 --Cables:Ingest:SearchIndexWorkers=0 --Logging:LogLevel:Microsoft.AspNetCore=Warning --Logging:LogLevel:Grpc=Warning \
                > "$out/service.watch.log" 2>&1 &
            service_pid=$!
            for _ in $(seq 120); do
                cablectl count --server "http://127.0.0.1:$((port + 3))" >/dev/null 2>&1 && break
                sleep 0.5
            done
            psql_ -d postgres -c CHECKPOINT
            load watch --server "http://127.0.0.1:$((port + 3))" --csv "$out/cables.csv" --watchers "$watchers" --filters "$kind" --name "watch-$round-$kind" \
                --limit "${BENCH_WATCH_COUNT:-50000}" --server-pid "$service_pid" \
                || log "watch step failed"
            kill "$service_pid" && wait "$service_pid" 2>/dev/null || true
            service_pid=
            psql_ -d postgres -c "DROP DATABASE cables_watch"
        done
    done
fi

# --- Raw COPY baseline: the same rows into a fresh copy of the same schema ---
if ! skipped copy; then
    # Quiesce first: autovacuum of the 250,000 rows just loaded would otherwise run during the baseline, and its CPU
    # counts in the cluster's. Runs 5-7 saw the same COPY take 232-349 s.
    log "vacuum and checkpoint before the baseline"
    psql_ -d cables -c "VACUUM (ANALYZE)" -c CHECKPOINT
    log "raw COPY baseline"
    "$pg_bin/pg_dump" -h 127.0.0.1 -p "$pg_port" -U postgres --schema-only -d cables | psql_ -d cables_copy >/dev/null
    load copy --source "$(database cables)" --target "$(database cables_copy)" --sessions "$(nproc)" --work-dir "$out/copy"
fi

commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench/out' || echo "+dirty")
load report --database "$(database cables)" --commit "$commit" --pg-settings "$pg_settings" \
    --load "$(awk -F'load ' '/load/ { sub(/\)$/, "", $2); print $2 }' "$out/run.log" | cut -d' ' -f1 | sort -n | sed -n '1p;$p' | paste -sd- ) (1-min, lowest-highest at the steps)" --out "$out/report.md"
log "done in $(( $(date +%s) - started )) s; report: $out/report.md"
