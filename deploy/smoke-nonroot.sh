#!/usr/bin/env bash
# Runs the service the way its image does, without a Docker engine:
#   - publishes src/CableService (Release) and builds the EF Core migrations bundle, as the Dockerfile's stages do;
#   - runs both as a non-root user (uid 1654, "app", like the image's APP_UID; created when missing and run as root);
#   - gives the service exactly the ENV lines of the Dockerfile's `service` stage (plus what the base image sets),
#     and a throwaway PostgreSQL (pg_virtualenv) migrated by the bundle first, as the migration job does;
#   - checks over h2c, with curl, that it serves: grpc.health.v1 for "", "liveness" and "readiness" without a token, and
#     that the image's authentication is on: CountCables without a token is UNAUTHENTICATED (the key the image names is
#     replaced by one made here, with the issuer and audience a deployment would set);
#   - sends SIGTERM and checks that it exits 0.
# Port 8080 as in the image, unless it is taken (then a free port replaces it in ASPNETCORE_URLS).
# Prints "deploy/smoke-nonroot.sh: OK" or what failed, and exits non-zero on failure.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

if [ -z "${PGHOST:-}" ]; then
    # A throwaway cluster: -t keeps its files in a temporary directory and a free port keeps it off other clusters
    # (pg_virtualenv would take 5432), so it never collides with another one on the machine, even as root.
    pg_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    exec pg_virtualenv -t -c "-p $pg_port" -o fsync=off "$0" "$@"
fi

fail() { echo "deploy/smoke-nonroot.sh: FAILED: $*" >&2; exit 1; }

work="$(mktemp -d /tmp/cableservice-smoke.XXXXXX)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
chmod 755 "$work"

echo "== publish (as the Dockerfile's build and migrate-build stages do)"
(cd "$root" \
    && dotnet publish src/CableService/CableService.csproj -c Release -o "$work/app" -p:UseAppHost=false --nologo -v q \
    && dotnet tool restore >/dev/null \
    && dotnet ef migrations bundle --project src/Cables.Storage --startup-project src/Cables.Storage \
        --configuration Release --output "$work/efbundle" --force >/dev/null)
chmod -R a+rX "$work"

# The user: the image's uid 1654 ("app") when we are root; ourselves otherwise (already not root).
if [ "$(id -u)" = 0 ]; then
    if ! getent passwd 1654 >/dev/null; then
        useradd --uid 1654 --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app
    fi
    user="$(getent passwd 1654 | cut -d: -f1)"
    # setpriv execs the command itself (no parent left behind as root): $! is the service, SIGTERM reaches it.
    as_user=(setpriv --reuid=1654 --regid="$(id -g "$user")" --init-groups --)
else
    user="$(id -un)"
    as_user=()
fi

# The environment: what the aspnet base image sets, then every ENV line of the Dockerfile's service stage.
declare -A image_env=([APP_UID]=1654 [DOTNET_RUNNING_IN_CONTAINER]=true [ASPNETCORE_HTTP_PORTS]=8080)
while IFS= read -r line; do
    assignment="${line#ENV }"
    image_env["${assignment%%=*}"]="${assignment#*=}"
done < <(awk '/^FROM .* AS service$/ { in_service = 1; next } /^FROM / { in_service = 0 } in_service && /^ENV [A-Za-z_]+=/' "$root/Dockerfile")
[ "${image_env[ASPNETCORE_URLS]:-}" = "http://+:8080" ] || fail "the Dockerfile's service stage does not set ASPNETCORE_URLS=http://+:8080"

port=8080
if ss -ltnH "sport = :$port" | grep -q .; then
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    image_env[ASPNETCORE_URLS]="http://+:$port"
    echo "   (8080 is taken here: listening on $port instead)"
fi

# The image names a signing key file that a deployment mounts; here a fresh public key takes its place.
openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkey -pubout -out "$work/signing-key.pub.pem"
chmod a+r "$work/signing-key.pub.pem"
[ "${image_env[Cables__Auth__Mode]:-}" = "Jwt" ] || fail "the Dockerfile's service stage does not set Cables__Auth__Mode=Jwt"
image_env[Cables__Auth__SigningKeyFiles__0]="$work/signing-key.pub.pem"
image_env[Cables__Auth__Issuer]="https://issuer.smoke.test"
image_env[Cables__Auth__Audience]="cables"

database="cables_smoke"
psql -q -c "CREATE DATABASE $database" >/dev/null
connection="Host=$PGHOST;Port=${PGPORT:-5432};Username=$PGUSER;Password=$PGPASSWORD;Database=$database"

env_args=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp "CABLES_DATABASE=$connection")
for key in "${!image_env[@]}"; do env_args+=("$key=${image_env[$key]}"); done
echo "== environment"
printf '   %s\n' "${env_args[@]}" | sed 's/Password=[^;]*/Password=***/'

echo "== migrate (the bundle, as $user)"
"${as_user[@]}" env -i "${env_args[@]}" "$work/efbundle" --connection "$connection" >"$work/migrate.log" 2>&1 \
    || { cat "$work/migrate.log" >&2; fail "the migrations bundle failed"; }

echo "== start (as $user, in the published folder as in the image's WORKDIR)"
(cd "$work/app" && exec "${as_user[@]}" env -i "${env_args[@]}" dotnet CableService.dll) >"$work/service.log" 2>&1 &
server_pid=$!

# One gRPC call over h2c: $1 path, $2 request message as printf escapes, $3 the grpc-status expected (default 0).
# Prints the response message as hex and fails unless the trailers (or, trailers-only, the headers) say that status.
grpc_call() {
    local path="$1" message="$2" expected="${3:-0}" length
    length=$(printf "$message" | wc -c)
    { printf '\x00'; printf "%08x" "$length" | xxd -r -p; printf "$message"; } >"$work/request"
    curl -sS --http2-prior-knowledge --max-time 5 -H 'content-type: application/grpc' -H 'te: trailers' \
        --data-binary "@$work/request" -D "$work/headers" -o "$work/response" "http://127.0.0.1:$port$path" || return 1
    grep -qi "^grpc-status: $expected"$'\r'"\?$" "$work/headers" || { cat "$work/headers" >&2; return 1; }
    xxd -p "$work/response" | tr -d '\n'
}

echo "== wait for readiness"
serving="0000000002" # 5-byte gRPC frame header: not compressed, 2-byte message...
serving+="0801"      # ...HealthCheckResponse { status: SERVING (1) }
for _ in $(seq 1 120); do
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/service.log" >&2; fail "the service exited"; }
    if [ "$(grpc_call /grpc.health.v1.Health/Check '\x0a\x09readiness' 2>/dev/null)" = "$serving" ]; then break; fi
    sleep 0.5
done

process_user="$(ps -o user= -p "$server_pid" | tr -d ' ')"
process_uid="$(ps -o uid= -p "$server_pid" | tr -d ' ')"
[ "$process_uid" != 0 ] || fail "the service runs as root"
echo "   process $server_pid runs as $process_user (uid $process_uid)"

for service in "" liveness readiness; do
    if [ -z "$service" ]; then request=''; else request="\\x0a\\x$(printf '%02x' ${#service})$service"; fi
    answer="$(grpc_call /grpc.health.v1.Health/Check "$request")" || fail "health check \"$service\" failed"
    [ "$answer" = "$serving" ] || fail "health check \"$service\" answered $answer, not SERVING"
    echo "   health \"$service\": SERVING"
done

# Authentication is on: a call without a token is refused with UNAUTHENTICATED (16), as a gRPC status.
grpc_call /cables.v1.CableArchive/CountCables '' 16 >/dev/null || fail "CountCables without a token was not UNAUTHENTICATED"
echo "   CountCables without a token: grpc-status 16 (UNAUTHENTICATED)"

echo "== SIGTERM"
started=$(date +%s%N)
kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
[ "$status" = 0 ] || { cat "$work/service.log" >&2; fail "the service exited with $status after SIGTERM"; }
echo "   exited 0 after ${elapsed_ms} ms"
if grep -qE '^(fail|crit):' "$work/service.log"; then
    cat "$work/service.log" >&2
    fail "the service logged errors"
fi

echo "deploy/smoke-nonroot.sh: OK"
