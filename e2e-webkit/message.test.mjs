// WebKit: a message is fixed at its call (CONTRACT §2), as e2e/message.spec.ts proves in Chromium.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { closeWebKit, launchWebKit, waitForEvents, withFixture } from './harness.mjs'

let webkit
before(async () => {
  webkit = await launchWebKit()
})
after(() => closeWebKit(webkit))

test('a message is fixed at its call: a reused attributes object and an SPA navigation right after change nothing', { timeout: 60_000 }, (t) =>
  withFixture(t, webkit, async ({ page, site, collector }) => {
    await page.goto(site.url('/script-tag.html'))
    await waitForEvents(collector, 1, { filter: { event: 'page_view' } })
    await page.evaluate(() => {
      const props = { step: 0, nested: { n: 0 } }
      for (let i = 0; i < 3; i++) {
        props.step = i
        props.nested.n = i
        window.atrack.track('step', props)
      }
      props.step = 99
      props.nested.n = 99
      history.pushState({}, '', '/second-page')
      document.title = 'Second'
    })
    const steps = await waitForEvents(collector, 3, { filter: { event: 'step' } })
    assert.deepEqual(
      steps.map((r) => r.body.attributes).sort((a, b) => a.step - b.step),
      [0, 1, 2].map((i) => ({ step: i, nested: { n: i } })),
    )
    for (const r of steps) assert.equal(r.body.context.page.path, '/script-tag.html', 'the page of the call, not the one navigated to right after')
    const views = await waitForEvents(collector, 2, { filter: { event: 'page_view' } })
    assert.deepEqual(views.map((r) => r.body.attributes.path), ['/script-tag.html', '/second-page'])
    assert.deepEqual(collector.requests().filter((r) => r.method == 'OPTIONS'), [], 'no CORS preflight')
  }),
)
