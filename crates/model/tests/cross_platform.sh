#!/usr/bin/env bash
# Same model + query + seed, same bytes natively and in wasm: runs tests/cross_platform.rs
# natively, under wasm32 in Node (wasm-bindgen-test-runner, with +simd128 from
# .cargo/config.toml) and, when binaryen's wasm-opt is installed, on the wasm module after
# `wasm-opt -O3` (as the app's release build does), then compares the printed hashes.
# Release builds, like the app and the CLI. Exit status 0 only when every hash agrees.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."

TEST=(-p synthome-model --test cross_platform --release)
CASES=6

# Runs a command; prints its sorted hash lines, or its output's tail when they are missing
hashes() {
  local output lines
  output="$("$@" 2>&1)" || true
  lines="$(printf '%s\n' "$output" | grep -oE 'cross-platform [a-z-]+ [0-9a-f]{64}' | sort)" || true
  if [[ "$(printf '%s\n' "$lines" | grep -c .)" -ne "$CASES" ]]; then
    printf 'cross-platform: expected %s hashes from: %s\n%s\n' "$CASES" "$*" "$(printf '%s\n' "$output" | tail -20)" >&2
    return 1
  fi
  printf '%s\n' "$lines"
}

native="$(hashes cargo test "${TEST[@]}" -- --nocapture --test-threads=1)"
wasm="$(hashes cargo test "${TEST[@]}" --target wasm32-unknown-unknown -- --nocapture)" || wasm=""
status=0
compare() {
  local name="$1" other="$2"
  if [[ "$native" == "$other" ]]; then
    printf 'cross-platform: native and %s agree on %s cases\n' "$name" "$CASES"
  else
    printf 'cross-platform: native and %s differ\n' "$name" >&2
    diff <(printf '%s\n' "$native") <(printf '%s\n' "$other") >&2 || true
    status=1
  fi
}
compare "wasm32" "$wasm"

WASM_OPT="node_modules/.bin/wasm-opt"
if [[ -x "$WASM_OPT" ]]; then
  module="$(cargo test "${TEST[@]}" --target wasm32-unknown-unknown --no-run --message-format=json 2>/dev/null |
    grep -o '"executable":"[^"]*\.wasm"' | tail -1 | cut -d'"' -f4)"
  optimised="$(mktemp --suffix=.wasm)"
  trap 'rm -f "$optimised"' EXIT
  "$WASM_OPT" -O3 "$module" -o "$optimised"
  optimised_hashes="$(hashes wasm-bindgen-test-runner "$optimised" --nocapture)" || optimised_hashes=""
  compare "wasm32 after wasm-opt -O3" "$optimised_hashes"
else
  echo "cross-platform: $WASM_OPT not installed (./x setup); skipped the wasm-opt -O3 comparison"
fi
exit "$status"
