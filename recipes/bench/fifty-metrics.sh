#!/bin/sh
# Writes 50 metrics (accuracy and m1..m49) that vary with the iteration, using shell built-ins only: the
# benchmark's stand-in for an eval stage that reports many metrics (recipes/bench/metrics.yaml).
i=${LOOP_ITERATION:-0}
# accuracy rises by 0.0008 an iteration (0.1 → 0.9 at 1,000), so the recipe's plateau rule never fires.
s="{\"accuracy\": $(printf '0.%04d' $((1000 + i * 8)))"
n=1
while [ $n -lt 50 ]; do
  s="$s, \"m$n\": $(( (i * 7 + n * 13) % 101 ))"
  n=$((n + 1))
done
echo "$s}" > "$LOOP_METRICS"
