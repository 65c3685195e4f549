#!/usr/bin/env bash
# Runs every test of the solution against a real PostgreSQL, then prints "N passed, N failed[, N skipped]".
#
# The database comes from CABLES_TEST_DATABASE when set; otherwise this script installs PostgreSQL when
# it is missing (run.sh --install-only: apt-get, as root) and wraps the run in a throwaway cluster (pg_virtualenv),
# whose PG* variables the integration tests read.
set -euo pipefail
cd "$(dirname "$0")/.."

# The read-only shared/ folder (corpus, conformance vectors) sits beside the repository. A clone made elsewhere, in a
# temporary directory say, finds it beside the repository it was cloned from when that is a local path.
if [ -z "${CABLES_SHARED_DIR:-}" ] && [ ! -d ../shared ]; then
    origin=$(git config --get remote.origin.url 2>/dev/null || true)
    origin=${origin#file://}
    if [ -n "$origin" ] && [ -d "$origin/../shared" ]; then
        CABLES_SHARED_DIR=$(cd "$origin/../shared" && pwd)
        export CABLES_SHARED_DIR
        echo "tests/run.sh: shared/ is not beside this clone; using $CABLES_SHARED_DIR, beside its origin" >&2
    fi
fi

if [ -z "${CABLES_TEST_DATABASE:-}" ] && [ -z "${PGHOST:-}" ]; then
    bash ./run.sh --install-only # the same install step as the run command's
fi

log=$(mktemp)
# What the test hosts log (Cables.Testing's TestHostLog): a failed run prints its warnings and errors below.
CABLES_TEST_LOGS=$(mktemp -d)
export CABLES_TEST_LOGS
trap 'rm -rf "$log" "$CABLES_TEST_LOGS"' EXIT

# A test that hangs (none should take a minute) is named and stopped after 5 minutes instead of holding CI.
run_tests() {
    dotnet test CableService.sln -c Release --nologo -v q --logger "console;verbosity=minimal" \
        --blame-hang-timeout 5m --blame-hang-dump-type none "$@" 2>&1 | tee "$log"
    return "${PIPESTATUS[0]}"
}

status=0
if [ -n "${CABLES_TEST_DATABASE:-}" ] || [ -n "${PGHOST:-}" ]; then
    run_tests "$@" || status=$?
else
    # A fresh cluster for this run only; fsync off because its data is thrown away afterwards.
    export -f run_tests
    export log
    # -t: a private temporary cluster directory even as root, so parallel runs never collide on 15/regress.
    pg_virtualenv -t -o fsync=off -o shared_buffers=512MB -o max_connections=200 bash -c 'run_tests "$@"' _ "$@" || status=$?
fi

# Sum the per-project summaries: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..."
read -r passed failed skipped < <(awk '
    /(Passed|Failed)! +- +Failed:/ {
        gsub(/,/, "");
        for (i = 1; i <= NF; i++) {
            if ($i == "Failed:") f += $(i + 1);
            if ($i == "Passed:") p += $(i + 1);
            if ($i == "Skipped:") s += $(i + 1);
        }
    }
    END { print p + 0, f + 0, s + 0 }' "$log")

if [ "$status" -ne 0 ] && compgen -G "$CABLES_TEST_LOGS/*.log" >/dev/null; then
    echo "--- what the test hosts logged at Error or above (full logs were in $CABLES_TEST_LOGS) ---"
    # An entry is its first line and the exception lines under it, up to the next entry.
    awk '/^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]+ / { keep = ($2 == "Error" || $2 == "Critical") } keep' "$CABLES_TEST_LOGS"/*.log | head -n 400
fi

if [ "$failed" -gt 0 ]; then
    # Last before the count, so a log cut to its tail still names what failed: each test and its error message.
    echo "--- failed tests ---"
    awk '/^ +Failed [^!]/ { keep = 1 } /^ +Stack Trace:/ { keep = 0 } /^ +(Passed|Skipped) / { keep = 0 } keep' "$log" | head -n 80
fi

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1 # the build or a test host failed before any test could report
fi
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
exit "$status"
