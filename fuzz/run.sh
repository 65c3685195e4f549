#!/usr/bin/env bash
# Fuzzes the parser's entry points for a fixed time each, seeded from the corpus:
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]      (default 60 s; targets parse, html, csv)
# With libFuzzer's .NET driver (libfuzzer-dotnet) or afl-fuzz on PATH and the sharpfuzz tool installed
# (dotnet tool install -g SharpFuzz.CommandLine), the targets run under that engine, coverage-guided. Without one, as on
# the project's machines today, they run in a seeded mutation loop in-process (no coverage feedback): it still finds
# exceptions and superlinear inputs. Crashes and slow inputs are kept in fuzz/found/; copy each one worth keeping into
# fuzz/regressions/, where the parser tests run every file (Cables.Parsing.Tests FuzzRegressionTests).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(parse html csv)

shared=${CABLES_SHARED_DIR:-../shared}
corpus="$shared/corpus"
project=fuzz/Cables.Parsing.Fuzz
out=fuzz/found
mkdir -p "$out"

dotnet build "$project" -c Release --nologo -v q >/dev/null
build=$(find "$project/bin/Release" -maxdepth 2 -name Cables.Parsing.Fuzz.dll -printf '%h\n' | head -1)

seeds_for() {
    case "$1" in
        parse) echo "--seeds $corpus/seed --seeds $corpus/cables --seeds fuzz/regressions" ;;
        html) echo "--seeds $corpus/formats/html" ;;
        csv) echo "--seeds $corpus/formats/cables.csv" ;;
    esac
}

engine=loop
if command -v sharpfuzz >/dev/null && command -v libfuzzer-dotnet >/dev/null; then
    engine=libfuzzer
elif command -v sharpfuzz >/dev/null && command -v afl-fuzz >/dev/null; then
    engine=afl
fi

if [ "$engine" != loop ]; then
    sharpfuzz "$build/Cables.Parsing.dll" # instruments the parser in place for coverage feedback
fi

status=0
for target in "${targets[@]}"; do
    # shellcheck disable=SC2046
    case "$engine" in
        libfuzzer)
            seeds=$(mktemp -d)
            for dir in $(seeds_for "$target" | tr ' ' '\n' | grep -v -- --seeds); do cp -r "$dir"/. "$seeds"/ 2>/dev/null || cp "$dir" "$seeds"/; done
            libfuzzer-dotnet --target_path="$build/Cables.Parsing.Fuzz" --target_arg="$target --engine libfuzzer" \
                -max_total_time="$seconds" -timeout=5 -artifact_prefix="$out/$target-" "$seeds" || status=1
            ;;
        afl)
            seeds=$(mktemp -d)
            for dir in $(seeds_for "$target" | tr ' ' '\n' | grep -v -- --seeds); do cp -r "$dir"/. "$seeds"/ 2>/dev/null || cp "$dir" "$seeds"/; done
            AFL_SKIP_BIN_CHECK=1 timeout "$seconds" afl-fuzz -i "$seeds" -o "$out/afl-$target" -t 5000 -m none \
                "$build/Cables.Parsing.Fuzz" "$target" --engine afl || true
            ;;
        loop)
            dotnet "$build/Cables.Parsing.Fuzz.dll" "$target" --engine loop --seconds "$seconds" --out "$out" \
                --seed "${FUZZ_SEED:-$RANDOM}" $(seeds_for "$target") || status=1
            ;;
    esac
done
echo "fuzz/run.sh: engine $engine, $seconds s per target; findings in $out/"
exit $status
