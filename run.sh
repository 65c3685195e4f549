#!/usr/bin/env bash
# Runs the service. With no connection string (CABLES_DATABASE or ConnectionStrings__Cables) it runs on a PostgreSQL
# cluster of its own, so this first installs the PostgreSQL server binaries when they are missing (apt-get, as root).
#   ./run.sh [service arguments…]     e.g. ./run.sh --urls http://127.0.0.1:6000
#   ./run.sh --install-only           installs what the service and the tests need, and exits
set -euo pipefail
cd "$(dirname "$0")"

have_postgres() { command -v pg_virtualenv >/dev/null && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }

install_postgres() {
    have_postgres && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "run.sh: installing PostgreSQL (apt-get)" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >/dev/null
    else
        echo "run.sh: PostgreSQL is not installed; install it (apt-get install postgresql) or set CABLES_DATABASE" >&2
        exit 2
    fi
}

if [ "${1:-}" = "--install-only" ]; then
    install_postgres
    exit 0
fi

if [ -z "${CABLES_DATABASE:-}" ] && [ -z "${ConnectionStrings__Cables:-}" ]; then
    install_postgres
    # As root the embedded server runs as the postgres account, which may not enter this folder (a clone under /root):
    # then its data goes where that account can reach, unless a data directory was chosen.
    if [ "$(id -u)" = 0 ] && [ -z "${Cables__EmbeddedPostgres__DataDirectory:-}" ] && ! runuser -u postgres -- test -x "$PWD"; then
        export Cables__EmbeddedPostgres__DataDirectory=/var/lib/cables/postgres
        mkdir -p "$(dirname "$Cables__EmbeddedPostgres__DataDirectory")"
        echo "run.sh: the postgres account cannot enter $PWD; the embedded cluster lives in $Cables__EmbeddedPostgres__DataDirectory" >&2
    fi
fi

exec dotnet run --project src/CableService -c Release -- "$@"
