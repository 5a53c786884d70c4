#!/usr/bin/env bash
# A sharded exploration campaign: Bazel runs this test as several shards
# (TEST_TOTAL_SHARDS / TEST_SHARD_INDEX), each exploring its share of the
# schedules, exactly as on remote execution. The faithful poller must pass.
set -euo pipefail
# The bundled workload and the whole scenario corpus.
"$1" explore --schedules=2000 --jobs=1 --out_dir="${TEST_UNDECLARED_OUTPUTS_DIR:-}"
"$1" explore tests/scenarios/*.textproto --schedules=400 --jobs=1 \
  --out_dir="${TEST_UNDECLARED_OUTPUTS_DIR:-}"
