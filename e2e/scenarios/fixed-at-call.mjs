// A message is fixed at its call (CONTRACT §2): a reused attributes object changed right after the
// calls, and an SPA navigation right after them, change nothing in what was tracked.
import assert from 'node:assert/strict'
import { waitForEvents } from '../records.mjs'
import { lateDuplicates } from '../harness.mjs'
import { openSdkPage } from './steps.mjs'

export default {
  id: 'fixed-at-call',
  fault: 'fixed at call',
  title: 'a reused attributes object and an SPA navigation right after the calls change nothing in them',
  timeoutMs: 60_000,
  async run({ browser, world, report }) {
    const { collector } = world
    const tab = await browser.open()
    await openSdkPage(tab, world)
    await tab.evaluate(() => {
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
    const views = await waitForEvents(collector, 2, { filter: { event: 'page_view' } })
    const duplicates = await lateDuplicates(world)
    report({ sent: 3, delivered: collector.events({ event: 'step' }).length, duplicates: duplicates.length })
    assert.deepEqual(
      steps.map((r) => r.body.attributes).sort((a, b) => a.step - b.step),
      [0, 1, 2].map((i) => ({ step: i, nested: { n: i } })),
    )
    for (const r of steps) {
      assert.equal(r.body.context.page.path, '/script-tag.html', 'the page of the call, not the one navigated to right after')
      assert.equal(r.body.context.page.title, 'Script tag fixture', 'the title of the call, not the one set right after')
    }
    assert.equal(views[0].body.context.referrer?.type, 'direct', 'a page opened with no referrer')
    assert.deepEqual(views.map((r) => r.body.attributes.path), ['/script-tag.html', '/second-page'])
    assert.deepEqual(duplicates, [])
  },
}
