// What the reference collector received, for the lanes driven from node:test (e2e-firefox/,
// e2e-webkit/): each lane's harness re-exports these. Every wait is bounded.

/** How often the waits look at the collector. */
const POLL_MS = 50

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

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
