#!/bin/sh
# Decision quality of the aggregation: simulated cycles with a known true
# order run through src/core/aggregate.c; prints, for the raw mean,
# per-rater z-scores, the adjusted model (and its sensitivity to lambda)
# and Borda, the mean Kendall tau with the truth and how often the true
# top two are exactly the top two. No server, no timing.
#
#   sh bench/decision.sh [cycles])
set -eu
cd "$(dirname "$0")/.."
make --no-print-directory build/bench/decision
echo "== decision quality (bench/decision.c)"
build/bench/decision "${1:-500}"
