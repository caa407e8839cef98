#!/bin/sh
# The aggregation at a national size (10,000 candidates, 600 raters,
# 60,000 sheets of 6 criteria): time and peak memory of agg_phase against
# the raw means alone, in one process on the release build.
#
#   sh bench/scale.sh [repeats])
set -eu
cd "$(dirname "$0")/.."
make --no-print-directory build/bench/scale
echo "== aggregation at scale (bench/scale.c)"
build/bench/scale "${1:-5}"
