#!/usr/bin/env bash
# Breaks the SDK one way at a time, as the issue 8 note did, in a throwaway copy of HEAD, and runs
# every lane's scenarios against each break: a scenario that should catch a break and passes is a
# test that cannot fail. Not part of `npm test` (about 5 min a break).
#
#   npm run e2e:mutants                     # every break
#   npm run e2e:mutants -- stub-reversed    # one
#
# Writes $MUTANTS_OUT/<break>/{diff,Chromium.log,Firefox.log,WebKit.log} (default /tmp/atrack-mutants)
# and prints, for each break and engine, the scenarios that failed.
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
OUT=${MUTANTS_OUT:-/tmp/atrack-mutants}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
git clone -q "$SRC" "$WORK" && ln -s "$SRC/node_modules" "$WORK/node_modules" && cd "$WORK" || exit 1

declare -A BREAK
BREAK[sent-twice]="src/delivery/transport.ts|s#    const res = await fetch(url, { method: 'POST', body, keepalive, credentials: 'omit' })#    void fetch(url, { method: 'POST', body, keepalive, credentials: 'omit' }).catch(() => 0); const res = await fetch(url, { method: 'POST', body, keepalive, credentials: 'omit' })#;s#    return navigator.sendBeacon(url, body)#    navigator.sendBeacon(url, body); return navigator.sendBeacon(url, body)#"
BREAK[plain-fetch-only]="src/delivery/transport.ts|s#{ method: 'POST', body, keepalive, credentials: 'omit' }#{ method: 'POST', body, keepalive: false \&\& keepalive, credentials: 'omit' }#;s#    return navigator.sendBeacon(url, body)#    return false \&\& navigator.sendBeacon(url, body)#"
BREAK[beacons-in-outage]="src/delivery/sender.ts|s#if (doubt || failures || c.transport == 'fetch') pump()#if (c.transport == 'fetch') pump()#"
BREAK[consent-forced]="src/identity/consent.ts|s#? 'denied' : initial#? 'denied' : 'granted'#"
BREAK[pageshow-removed]="src/delivery/lifecycle.ts|/addEventListener('pageshow'/d"
BREAK[stub-reversed]="src/browser.ts|s#  queued.forEach(run)#  queued.slice().reverse().forEach(run)#"

for name in ${*:-sent-twice plain-fetch-only beacons-in-outage consent-forced pageshow-removed stub-reversed}; do
  git checkout -q -- src
  [ -n "${BREAK[$name]:-}" ] || { echo "$name: no such break (${!BREAK[*]})"; continue; }
  sed -i "${BREAK[$name]#*|}" "${BREAK[$name]%%|*}"
  if git diff --quiet -- src; then echo "$name: the break no longer applies to src/ (update it here)"; continue; fi
  rm -rf "${OUT:?}/$name" && mkdir -p "$OUT/$name" && git diff -- src > "$OUT/$name/diff"
  npx rollup -c > "$OUT/$name/build.log" 2>&1 || { echo "$name: build failed"; continue; }
  npx playwright test e2e/scenarios.spec.mjs --retries 0 > "$OUT/$name/Chromium.log" 2>&1
  node --test --test-concurrency=1 e2e-firefox/ > "$OUT/$name/Firefox.log" 2>&1
  node --test --test-concurrency=1 e2e-webkit/ > "$OUT/$name/WebKit.log" 2>&1
  echo "$name | Chromium | $(grep -E '^\s+✘' "$OUT/$name/Chromium.log" | sed -E 's/.*› ([^:]+):.*/\1/' | sort -u | paste -sd ';')"
  for engine in Firefox WebKit; do
    echo "$name | $engine | $(grep -E '^not ok' "$OUT/$name/$engine.log" | sed -E 's/^not ok [0-9]+ - ([^:]+):.*/\1/' | paste -sd ';')"
  done
done
