#!/bin/bash
# The driver behind docs/BENCHMARKS.md "Sharded search", F: bench/shard/overhead.ts run by an older commit's code
# (BEFORE, extracted to .scratch/before) and this tree's, alternating round by round so that each pair of runs
# shares the machine's load; one JSON file a run in OUT, then bench/shard/overhead-compare.ts collects them.
# Run: bash bench/shard/overhead-compare.sh BEFORE OUT && node bin/run-ts.js bench/shard/overhead-compare.ts OUT > bench/shard/overhead-results-3.json
set -e
BEFORE=${1:?commit to compare with}
B=${2:?output folder}
mkdir -p "$B" .scratch/before
git archive "$BEFORE" src bench bin | tar -x -C .scratch/before
run() { # name round config...
  local name=$1 r=$2; shift 2
  for side in before after; do
    local root=$([ $side = before ] && echo .scratch/before || echo .)
    echo "$(date -u +%FT%TZ) $name round $r $side load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$B/log.txt"
    node $root/bin/run-ts.js $root/bench/shard/overhead.ts --rounds 1 "$@" > "$B/$name-$side-$r.json" 2>> "$B/rounds.txt"
  done
}
for r in 1 2 3; do run hash $r --config 200000,4,50000,hash --config 1000000,2,500000,hash; done
for r in 1 2 3; do run delay1 $r --config 40000,4,10000,delay:1; done
# 3 ms a document (~4 min a run): this tree only.
echo "$(date -u +%FT%TZ) delay3 after load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$B/log.txt"
node bin/run-ts.js bench/shard/overhead.ts --rounds 1 --config 40000,4,10000,delay:3 > "$B/delay3-after.json" 2>> "$B/rounds.txt"
