// The check behind "a message is fixed at its call" (CONTRACT §2) for the node:test lanes
// (e2e-firefox/, e2e-webkit/), as e2e/message.spec.ts makes it in Chromium: a reused attributes
// object and an SPA navigation right after the calls change nothing, and no request is preflighted.
import assert from 'node:assert/strict'
import { waitForEvents } from './records.mjs'

/** Drives `page` (puppeteer or the WebKit lane's WebDriver page: `goto`, `evaluate`) and asserts on `collector`. */
export async function checkFixedAtCall({ page, site, collector }) {
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
}
