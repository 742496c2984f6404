#!/usr/bin/env bash
# Times kith's whole-folder reports against the floor of reading every file,
# and against a PyYAML script, on generated folders; and `kith log` on a large
# folder against a folder of ten customers.
#
#   benches/bench.sh [N ...]        # default: 25000 250000
#
# Needs only the Rust toolchain, GNU time (/usr/bin/time) and, for the peer,
# python3 with PyYAML. Folders are generated once under $BENCH_DIR
# (default /tmp/kith-bench) and reused. Warm page cache: the folder is read
# once before it is timed. Each figure is the median of $RUNS runs. kith is
# timed twice: with its cache of parsed records (.kith/cache, written by a
# first untimed run) and without it (KITH_NO_CACHE=1: every file parsed).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(25000 250000)
runs=${RUNS:-5}
base=${BENCH_DIR:-/tmp/kith-bench}
today=2026-11-23

cargo build --release --quiet --bin kith --example gen
kith=$PWD/target/release/kith
gen=$PWD/target/release/examples/gen

# median_of CMD...: prints "seconds peak_kb", medians over $runs runs.
median_of() {
    local times=() mems=()
    for _ in $(seq "$runs"); do
        local out report
        report=$(mktemp)
        /usr/bin/time -f '%e %M' -o "$report" "$@" >/dev/null 2>/dev/null || true
        out=$(tail -1 "$report")
        rm -f "$report"
        times+=("${out% *}")
        mems+=("${out#* }")
    done
    local t m
    t=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
    m=$(printf '%s\n' "${mems[@]}" | sort -n | tail -1)
    echo "$t $m"
}

# per_call CMD...: milliseconds per call, the median of $runs batches of 20.
per_call() {
    local batches=()
    for _ in $(seq "$runs"); do
        local start end
        start=$(date +%s%N)
        for _ in $(seq 20); do "$@" >/dev/null; done
        end=$(date +%s%N)
        batches+=("$(( (end - start) / 20000 ))")
    done
    local ms
    ms=$(printf '%s\n' "${batches[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
    printf '%d.%03d\n' $((ms / 1000)) $((ms % 1000))
}

read_all() { find "$1" -name '*.yaml' -not -path '*/.*' -print0 | xargs -0 -P 2 -n 4000 cat >/dev/null; }

ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'{a/b:.2f}' if b>0 else '-')" "$1" "$2"; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "kith: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"

small=$base/10
if [ ! -f "$small/kith.yaml" ]; then "$gen" "$small" 10 >/dev/null; fi

for n in "${sizes[@]}"; do
    dir=$base/$n
    if [ ! -f "$dir/kith.yaml" ]; then "$gen" "$dir" "$n" >/dev/null; fi
    files=$(find "$dir" -name '*.yaml' -not -path '*/.*' | wc -l)
    bytes=$(du -sb --exclude=.kith "$dir" | cut -f1)
    echo
    echo "== $n customers ($files files, $((bytes / 1048576)) MiB)"
    read_all "$dir"
    floor=$(median_of bash -c "$(declare -f read_all); read_all '$dir'")
    floor_s=${floor% *}
    printf '%-28s %8s s  %8s  %s\n' "read every file (floor)" "$floor_s" "1.00x" ""
    for cmd in "check" "list" "segment --by profit" "rfm" "remind" "funnel" "forecast" "receivables" "review"; do
        # shellcheck disable=SC2086
        # A first run writes the cache of parsed records; the figures are of
        # the runs after it, and of runs that parse every file (no cache).
        "$kith" --dir "$dir" --today "$today" $cmd --format csv >/dev/null 2>&1 || true
        r=$(median_of "$kith" --dir "$dir" --today "$today" $cmd --format csv)
        # shellcheck disable=SC2086
        p=$(median_of env KITH_NO_CACHE=1 "$kith" --dir "$dir" --today "$today" $cmd --format csv)
        printf '%-28s %8s s  %7sx  peak %4s MiB   no cache %6s s  %5sx  peak %4s MiB\n' "kith $cmd" \
            "${r% *}" "$(ratio "${r% *}" "$floor_s")" "$(( ${r#* } / 1024 ))" \
            "${p% *}" "$(ratio "${p% *}" "$floor_s")" "$(( ${p#* } / 1024 ))"
    done
    # The report page, against `segment --by profit` above (target: within
    # 1.3x), and the page's size (target: under 1 MB).
    page=$(mktemp)
    "$kith" --dir "$dir" --today "$today" report --html "$page" >/dev/null 2>&1 || true
    r=$(median_of "$kith" --dir "$dir" --today "$today" report --html "$page")
    printf '%-28s %8s s  %7sx  peak %4s MiB   page %s KiB\n' "kith report --html" \
        "${r% *}" "$(ratio "${r% *}" "$floor_s")" "$(( ${r#* } / 1024 ))" "$(( $(stat -c %s "$page") / 1024 ))"
    rm -f "$page"
    if python3 -c 'import yaml' 2>/dev/null; then
        peer_runs=$runs
        [ "$n" -le 50000 ] || peer_runs=1
        r=$(runs=$peer_runs median_of python3 benches/peer_segment.py "$dir")
        printf '%-28s %8s s  %7sx  peak %s MiB\n' "PyYAML segment (peer)" "${r% *}" "$(ratio "${r% *}" "$floor_s")" "$(( ${r#* } / 1024 ))"
    fi
    id=$(basename "$(find "$dir" -mindepth 2 -name '*.yaml' -not -path '*/.*' -print -quit)" .yaml)
    sid=$(basename "$(find "$small" -mindepth 2 -name '*.yaml' -not -path '*/.*' -print -quit)" .yaml)
    big=$(per_call "$kith" --dir "$dir" --today "$today" -q log "$id" note bench)
    little=$(per_call "$kith" --dir "$small" --today "$today" -q log "$sid" note bench)
    printf '%-28s %8s ms (10 customers: %s ms, %sx)\n' "kith log (sub-folder id)" "$big" "$little" "$(ratio "$big" "$little")"
done
