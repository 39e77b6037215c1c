#!/usr/bin/env bash
# Kills `smash run` with SIGKILL at random moments, then checks that a rerun finishes, that no
# partial artifact is ever served, and that only unfinished work is redone.
#
# The pipeline scores 240 nearest-centroid classifiers on Fashion-MNIST (one cached item each),
# slow enough to be killed while items are being computed and written. After every kill:
#   - no final cache file is incomplete or corrupt (writes are atomic; partial files are hidden
#     temporaries that `status` reports and nothing serves);
#   - the next run that completes serves exactly the items that were complete before it started
#     and computes only the rest;
# and the final metrics equal those of an uninterrupted run in a separate cache.
#
# Usage: Tests/pipeline-kill-test.sh   (SWIFT=swift, KILL_ROUNDS=3, SCRATCH=build folder optional)
set -euo pipefail
cd "$(dirname "$0")/.."

swift_bin=${SWIFT:-swift}
rounds=${KILL_ROUNDS:-3}
scratch_args=()
if [ -n "${SCRATCH:-}" ]; then scratch_args=(--scratch-path "$SCRATCH"); fi

"$swift_bin" build "${scratch_args[@]}" --product smash
smash="$("$swift_bin" build "${scratch_args[@]}" --show-bin-path)/smash"
catalog="$PWD/Datasets"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/kill.yaml" <<'YAML'
pipeline: kill-test
description: nearest-centroid learning curve, killed and resumed
dataset: fashion-mnist
seed: 1
stages:
  summary: { run: dataset-summary }
  centroid:
    run: nearest-centroid
    with: { subsets: 240, sizes: [5, 10, 20, 50, 100] }
  curve:
    run: correlate
    needs: [centroid]
    with: { x: centroid.subsets.per_class, y: centroid.subsets.accuracy, resamples: 100 }
YAML
total_items=240

fail() { echo "pipeline-kill-test: FAIL: $*" >&2; exit 1; }

# Complete item entries of the nearest-centroid stage: `<namespace>.<item>.h5`, not hidden.
count_items() {
    { find "$1/nearest-centroid" -maxdepth 1 -name '*.*.h5' ! -name '.*' 2>/dev/null || true; } | wc -l
}

# Items served and computed by the latest run, from its run.json.
run_items() {
    python3 -c 'import json,sys; s=[t for t in json.load(open(sys.argv[1]))["stages"] if t["name"]=="centroid"][0]
print(sum(i["hits"] for i in s["items"]), sum(i["computed"] for i in s["items"]))' "$1/Results/kill-test/latest/run.json"
}

# No final file of the cache may be incomplete or corrupt.
check_no_partial_finals() {
    local report
    report=$(cd "$work" && SMASH_CACHE="$1" "$smash" gc --dry-run --results "$work/none")
    if grep -E '\((incomplete|corrupt)' <<<"$report"; then fail "a final cache file is partial"; fi
}

echo "pipeline-kill-test: reference run (uninterrupted)"
(cd "$work" && SMASH_CACHE="$work/reference-cache" "$smash" run kill.yaml --catalog "$catalog" --results "$work/reference" --quiet >/dev/null)

cache="$work/cache"
for round in $(seq 1 "$rounds"); do
    before=$(count_items "$cache")
    (cd "$work" && SMASH_CACHE="$cache" exec "$smash" run kill.yaml --catalog "$catalog" --quiet >"$work/run-$round.log" 2>&1) &
    pid=$!
    # Round 1 dies at any moment (often while the dataset loads); later rounds wait until the run
    # is writing new items, then die a random moment later, in the middle of that work.
    if [ "$round" -gt 1 ]; then
        for _ in $(seq 1 200); do
            [ "$(count_items "$cache")" -gt "$before" ] && break
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        delay=$(python3 -c 'import random; print(round(random.uniform(0.0, 1.5), 2))')
    else
        delay=$(python3 -c 'import random; print(round(random.uniform(0.3, 4.0), 2))')
    fi
    sleep "$delay"
    if kill -9 "$pid" 2>/dev/null; then
        wait "$pid" 2>/dev/null || true
        after=$(count_items "$cache")
        echo "pipeline-kill-test: round $round killed with $after of $total_items items complete (was $before)"
        check_no_partial_finals "$cache"
        status=$(cd "$work" && SMASH_CACHE="$cache" "$smash" status kill.yaml --catalog "$catalog")
        grep -q '^centroid .* \(stale\|cached\)$' <<<"$status" || fail "status after the kill: $status"
    else
        wait "$pid" || fail "round $round: the run failed: $(cat "$work/run-$round.log")"
        echo "pipeline-kill-test: round $round finished before the kill"
        read -r hits computed < <(run_items "$work")
        [ "$hits" -eq "$before" ] || [ "$computed" -eq 0 ] || fail "round $round served $hits items, $before were complete"
    fi
done

before=$(count_items "$cache")
summary_done=$({ find "$cache/dataset-summary" -maxdepth 1 -name '*.h5' ! -name '.*' 2>/dev/null || true; } | wc -l)
(cd "$work" && SMASH_CACHE="$cache" "$smash" run kill.yaml --catalog "$catalog" --quiet >"$work/final.log")
summary_cache=$(python3 -c 'import json,sys; print([t["cache"] for t in json.load(open(sys.argv[1]))["stages"] if t["name"]=="summary"][0])' \
    "$work/Results/kill-test/latest/run.json")
if [ "$summary_done" -gt 0 ] && [ "$summary_cache" != "hit" ]; then fail "the finished summary stage was computed again"; fi
read -r hits computed < <(run_items "$work")
centroid_cache=$(python3 -c 'import json,sys; print([t["cache"] for t in json.load(open(sys.argv[1]))["stages"] if t["name"]=="centroid"][0])' \
    "$work/Results/kill-test/latest/run.json")
echo "pipeline-kill-test: final run: centroid $centroid_cache, $hits items served, $computed computed ($before were complete)"
if [ "$centroid_cache" = "miss" ]; then
    [ "$hits" -eq "$before" ] || fail "the final run served $hits items but $before were complete"
    [ $((hits + computed)) -eq "$total_items" ] || fail "the final run handled $((hits + computed)) of $total_items items"
fi
check_no_partial_finals "$cache"
cmp -s "$work/reference/kill-test/latest/metrics.json" "$work/Results/kill-test/latest/metrics.json" \
    || fail "metrics differ from the uninterrupted run: $(diff "$work/reference/kill-test/latest/metrics.json" "$work/Results/kill-test/latest/metrics.json")"
echo "pipeline-kill-test: ok (metrics equal the uninterrupted run's)"
