// Steps the delivery scenarios share: open the SDK page, track a numbered burst, and the check
// behind every "all arrive, once" (CONTRACT §4), which also tells the loss table what arrived.
import assert from 'node:assert/strict'
import { lateDuplicates, waitForUrl, waitInPage } from '../harness.mjs'
import { distinctIds, waitForCount, waitForEvents } from '../records.mjs'

/** How many events a burst tracks right before a fault. */
export const N = 20

/** The numbers 0..n-1: the `i` attributes a burst of n events carries. */
export const range = (n) => Array.from({ length: n }, (_, i) => i)

/** Loads an SDK page and waits for its page view, so only what follows is tested. */
export async function openSdkPage(tab, world, path = '/script-tag.html') {
  await tab.goto(world.site.url(path))
  await waitForEvents(world.collector, 1, { filter: { event: 'page_view' } })
}

/** `n` events named `name`, each with its number `i`, tracked in one task. */
export const trackBurst = (tab, name, n = N) =>
  tab.evaluate((name, n) => {
    for (let i = 0; i < n; i++) window.atrack.track(name, { i })
  }, name, n)

/**
 * `n` events named `name` tracked, then `location.href = url` in the same task, and waits until
 * the tab is there: a page left right after the calls.
 */
export async function trackThenLeave(tab, name, url, n = N) {
  await tab.evaluate((name, n, url) => {
    for (let i = 0; i < n; i++) window.atrack.track(name, { i })
    location.href = url
  }, name, n, url)
  await waitForUrl(tab, url)
}

/** Waits until `window.atrack` is the live client (the async bundle replaced the stub). */
export const live = (tab) => waitInPage(tab, () => typeof window.atrack?.track == 'function' && !window.atrack.q, [], { what: 'the live client' })

/** Resolves when everything tracked so far reached the collector (or nothing more can be sent now). */
export const flush = (tab) => waitInPage(tab, () => window.atrack.flush().then(() => true), [], { what: 'flush()' })

/** Pauses one task in the page, as no person acts inside the task of the call before. */
export const nextTask = (tab, ms = 0) => tab.evaluate((ms) => new Promise((resolve) => setTimeout(() => resolve(true), ms)), ms)

/**
 * Waits (bounded) for the `n` events named `name`, then a moment more for a late resend, reports
 * what arrived, and asserts each of them arrived once: every number, no duplicate POST. With
 * `inFlightAtExit`, a message whose first copy came by fetch may come again: a request in flight
 * when the page was left during an outage cannot be known to arrive, so the next page sends it
 * again (at-least-once, CONTRACT §4). One whose first copy was a beacon may not: an accepted
 * beacon leaves the queue.
 */
export async function expectEachOnce(world, report, name, { n = N, timeoutMs = 10_000, inFlightAtExit = false } = {}) {
  const got = await waitForCount(() => distinctIds(world.collector.events({ event: name })), n, timeoutMs)
  const duplicates = await lateDuplicates(world)
  // the newest collector reloaded the data dir of the ones before it: it has everything
  const records = world.collector.events({ event: name })
  report({ sent: n, delivered: distinctIds(records), duplicates: duplicates.length })
  assert.equal(got, n, `${got} of ${n} ${name} events arrived within ${timeoutMs} ms`)
  assert.deepEqual(records.map((r) => r.body.attributes.i).sort((a, b) => a - b), range(n), 'each number stored once')
  // allowed with inFlightAtExit: a message first delivered by fetch, sent once more
  const firstBy = new Map(records.map((r) => [r.body.messageId, r.transport]))
  const ids = duplicates.map((d) => d.split(' ')[2])
  const wrong = duplicates.filter((d, i) => !inFlightAtExit || firstBy.get(ids[i]) != 'fetch' || ids.indexOf(ids[i]) != i)
  assert.deepEqual(wrong, [], 'no message sent twice (duplicate POSTs: time, path, messageId, transport, status)')
  return records
}
