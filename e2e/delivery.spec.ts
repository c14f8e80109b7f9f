// Delivery that loses nothing (CONTRACT §4), the Chromium-only part: several offline tabs, broken
// storage, size limits, refusals and bursts. Page exit, outages, offline reloads and adoption are
// scenarios every engine runs (e2e/scenarios/). Each test counts distinct messages at the collector.
import type { Page } from '@playwright/test'
import { type Collector, expect, received, test, waitForEvents } from './fixtures'

/** Distinct `event` messages with this name that the collector accepted. */
function distinct(collector: Collector, event: string): Set<string> {
  return new Set(received(collector, { event }).map((r) => r.body.messageId))
}

/**
 * No message reached the collector twice. The collector stores a messageId once, so only its
 * request log shows a duplicate; wait a little first, so a late resend would be seen.
 */
async function expectNoDuplicates(collector: Collector) {
  await new Promise((r) => setTimeout(r, 1500))
  const twice = collector.requests().filter((r) => r.method == 'POST' && r.duplicate).map((r) => r.path + ' ' + r.messageId)
  expect(twice, 'messages that reached the collector twice').toEqual([])
}

/** Opens the lab page and creates a client there; `errors` collects the codes given to onError. */
async function lab(page: Page, url: string, options = '{}') {
  await page.goto(url)
  await page.waitForFunction(() => (window as any).sdk)
  await page.evaluate(async (extra) => {
    const w = window as any
    w.errors = []
    w.atrack = w.sdk.createATrack({
      publicKey: w.KEY, apiHost: w.COLLECTOR, autoPageviews: false,
      onError: (e: { code: string; message: string }) => w.errors.push(e.code + ': ' + e.message),
      ...JSON.parse(extra),
    })
    await w.atrack.init()
  }, options)
}

test('two tabs, both offline, 10 events each, then online: 20 arrive, none twice', async ({ context, site, collector }) => {
  const tabs = [await context.newPage(), await context.newPage()]
  for (const tab of tabs) await tab.goto(site.url('/script-tag.html'))
  await waitForEvents(collector, 2, { filter: { event: 'page_view' } })
  await context.setOffline(true)
  await Promise.all(tabs.map((tab, t) => tab.evaluate((t) => {
    for (let i = 0; i < 10; i++) (window as any).atrack.track('two_tabs', { tab: t, i })
  }, t)))
  await tabs[0].waitForTimeout(300)
  await context.setOffline(false)
  await expect.poll(() => distinct(collector, 'two_tabs').size, { timeout: 10_000 }).toBe(20)
  await expectNoDuplicates(collector)
})

test('localStorage full: events still arrive and onError says so', async ({ page, site, collector }) => {
  await page.goto(site.url('/lab.html'))
  await page.evaluate(() => {
    // fill to the last byte: big chunks first, then ever smaller ones
    let n = 0
    for (let size = 1 << 20; size >= 1; size >>= 1) {
      for (;;) {
        try {
          localStorage.setItem('filler' + n++, 'x'.repeat(size))
        } catch {
          break
        }
      }
    }
  })
  await lab(page, site.url('/lab.html'))
  await page.evaluate(() => {
    for (let i = 0; i < 5; i++) (window as any).atrack.track('storage_full', { i })
  })
  await expect.poll(() => distinct(collector, 'storage_full').size, { timeout: 10_000 }).toBe(5)
  const errors: string[] = await page.evaluate(() => (window as any).errors)
  expect(errors.filter((e) => e.startsWith('storage:'))).toHaveLength(1)
  await page.evaluate(() => localStorage.clear())
})

test('localStorage throwing SecurityError: events still arrive and onError says so', async ({ page, site, collector }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { get: () => { throw new DOMException('denied', 'SecurityError') } })
  })
  await lab(page, site.url('/lab.html'))
  await page.evaluate(() => (window as any).atrack.track('storage_denied'))
  await waitForEvents(collector, 1, { filter: { event: 'storage_denied' } })
  const errors: string[] = await page.evaluate(() => (window as any).errors)
  expect(errors.filter((e) => e.startsWith('storage:'))).toHaveLength(1)
})

test('corrupt queue JSON left in storage: the SDK reports it, recovers and keeps sending', async ({ page, site, collector }) => {
  await page.goto(site.url('/lab.html'))
  await page.evaluate(() => localStorage.setItem('atrack_q1_corrupt', '{"h":1,"q":[{not json'))
  await lab(page, site.url('/lab.html'))
  await page.evaluate(() => (window as any).atrack.track('after_corruption'))
  await waitForEvents(collector, 1, { filter: { event: 'after_corruption' } })
  await expect.poll(() => page.evaluate(() => localStorage.getItem('atrack_q1_corrupt')), { timeout: 5000 }).toBeNull()
  const errors: string[] = await page.evaluate(() => (window as any).errors)
  expect(errors.some((e) => e.startsWith('storage:'))).toBe(true)
})

test('a 40 KB event is refused and reported; the events around it arrive', async ({ page, site, collector }) => {
  await lab(page, site.url('/lab.html'))
  await page.evaluate(() => {
    const a = (window as any).atrack
    a.track('before_big')
    a.track('big', { blob: 'x'.repeat(40 * 1024) })
    a.track('after_big')
  })
  await waitForEvents(collector, 2, { filter: (r) => ['before_big', 'after_big'].includes(r.body.event) })
  await page.waitForTimeout(300)
  expect(received(collector, { event: 'big' })).toHaveLength(0)
  const errors: string[] = await page.evaluate(() => (window as any).errors)
  expect(errors).toEqual([expect.stringMatching(/^oversize: \[atrack\] \/event of 4\d{4} bytes refused/)])
})

test('a permanent 4xx drops the message and reports it; later messages still go', async ({ page, site, collector }) => {
  await lab(page, site.url('/lab.html'))
  collector.fail({ status: 400, count: 1, paths: ['/event'] })
  await page.evaluate(async () => {
    const a = (window as any).atrack
    a.track('refused')
    await a.flush()
    a.track('accepted')
    await a.flush()
  })
  await waitForEvents(collector, 1, { filter: { event: 'accepted' } })
  const errors: string[] = await page.evaluate(() => (window as any).errors)
  expect(errors).toEqual([expect.stringMatching(/^rejected: .*400/)])
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('atrack_q1_')).length)).toBe(0)
})

test('a burst of 10,000 track() calls keeps the queue at its cap and reports the drop', async ({ page, context, site }) => {
  await lab(page, site.url('/lab.html'))
  await page.evaluate(() => (window as any).atrack.flush()) // /init delivered: the queue starts empty
  await context.setOffline(true)
  await page.evaluate(() => {
    for (let i = 0; i < 10_000; i++) (window as any).atrack.track('burst', { i })
  })
  // offline, a large queue is written within a second rather than on every task
  const stored = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('atrack_q1_')).map((k) => JSON.parse(localStorage.getItem(k)!).q.length))
  await expect.poll(stored, { timeout: 5000 }).toEqual([1000])
  const errors: string[] = await page.evaluate(() => (window as any).errors)
  expect(errors.filter((e) => e.startsWith('queue_full'))).toEqual([expect.stringContaining('9000')])
  await context.setOffline(false)
})

test('sendBeacon at exit carries the key in the query and text/plain JSON', async ({ page, site, collector }) => {
  await lab(page, site.url('/lab.html'), '{"transport":"beacon"}')
  await page.evaluate(() => (window as any).atrack.track('by_beacon'))
  const [r] = await waitForEvents(collector, 1, { filter: { event: 'by_beacon' } })
  expect(r).toMatchObject({ transport: 'beacon', keySource: 'query', contentType: expect.stringMatching(/^text\/plain/) })
})

test('a refused key: onError and the debug console say what the collector answered', async ({ page, site }) => {
  const lines: string[] = []
  page.on('console', (m) => lines.push(m.text()))
  await lab(page, site.url('/lab.html'), '{"publicKey":"pub_wrong","debug":true}')
  await page.evaluate(async () => {
    ;(window as any).atrack.track('refused_key')
    await (window as any).atrack.flush()
  })
  const errors: string[] = await page.evaluate(() => (window as any).errors)
  expect(errors).toContainEqual(expect.stringMatching(/^rejected: .*\/event refused: 401 \{"error":"unknown key"\}/))
  expect(lines).toContainEqual(expect.stringMatching(/\[atrack\] \/event \S+ → 401 \{"error":"unknown key"\}/))
})
