// What the reference collector received, and the small helpers every lane needs (the scenarios,
// the harness, the drivers and, through fixtures.ts, the Chromium-only specs): bounded waits, a
// retry of EADDRINUSE, the shape of a first visit's /init. Every wait is bounded.

import { readFileSync } from 'node:fs'

/** What `context.library` says: package.json's version, the one place it is written. */
export const LIBRARY = { name: '@a-track/web', version: JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version }

/** How often the waits look at the collector. */
const POLL_MS = 50

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Resolves true when `promise` settles within `ms`, false otherwise (never rejects). */
export async function bounded(promise, ms) {
  let timer
  const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve(false), ms)))
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * `start()` again until it does not fail with EADDRINUSE, bounded: a collector restarted on the port
 * of one just closed (so its de-duplication by messageId survives) may find the port still held
 * for a moment, or taken by an outgoing connection's ephemeral port.
 */
export async function retryAddressInUse(start, tries = 10, delayMs = 200) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start()
    } catch (error) {
      if (error?.code !== 'EADDRINUSE' || attempt >= tries) throw error
      await sleep(delayMs)
    }
  }
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** A first visit's `/init` has exactly the contract's shape (CONTRACT §3). */
export function assertNewVisitorInit(assert, init) {
  assert.deepEqual(Object.keys(init.body).sort(), ['attributes', 'context', 'isNewUser', 'messageId', 'mode', 'profile', 'sdkVersion', 'uuid'])
  assert.equal(init.body.sdkVersion, LIBRARY.version)
  assert.equal(init.body.isNewUser, true)
  assert.equal(init.body.mode, 'merge')
  assert.deepEqual(init.body.attributes, {})
  assert.deepEqual(init.body.profile, {})
  assert.match(init.body.uuid, UUID_V4)
}

/** Accepted records so far; `filter` is a predicate or `{ path, event, uuid, transport }`. */
export function received(collector, filter) {
  return collector.events(filter)
}

/**
 * Waits until at least `n` matching records arrived (bounded by `timeoutMs`) and returns all
 * matching records; throws naming what did arrive.
 */
export async function waitForEvents(collector, n, { filter, timeoutMs = 10_000 } = {}) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const records = received(collector, filter)
    if (records.length >= n) return records
    if (Date.now() >= deadline) {
      throw new Error(
        `waitForEvents: wanted ${n} matching record(s) within ${timeoutMs} ms, got ${records.length}. ` +
          `Everything received: ${JSON.stringify(eventNames(received(collector)))}`,
      )
    }
    await sleep(POLL_MS)
  }
}

/**
 * Waits (bounded) until `count()` reaches `n`: returns the last count instead of throwing, so a
 * test can report "k of n arrived" in its assertion message.
 */
export async function waitForCount(count, n, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  let last = count()
  while (last < n && Date.now() < deadline) {
    await sleep(POLL_MS)
    last = count()
  }
  return last
}

/** Distinct messageIds among records. */
export function distinctIds(records) {
  return new Set(records.map((r) => r.body.messageId)).size
}

/** The event name of each record; `/init` and `/attributes` records appear as their path. */
export function eventNames(records) {
  return records.map((record) => (record.path === '/event' ? String(record.body.event) : record.path))
}

/** How many records came by each transport, e.g. `{ fetch: 18, beacon: 2 }`. */
export function byTransport(records) {
  const out = {}
  for (const r of records) out[r.transport] = (out[r.transport] || 0) + 1
  return out
}
