// A message is fixed at its call (CONTRACT §2): what the page does to its objects afterwards, or a
// navigation right after, changes nothing in it; and no request costs a CORS preflight (§3).
import { expect, received, test, waitForEvents } from './fixtures'

test('a reused attributes object: each event keeps the value it had at its call', async ({ page, site, collector }) => {
  await page.goto(site.url('/script-tag.html'))
  await waitForEvents(collector, 1, { filter: { event: 'page_view' } })
  await page.evaluate(() => {
    const props: { step: number; nested: { n: number } } = { step: 0, nested: { n: 0 } }
    for (let i = 0; i < 5; i++) {
      props.step = i
      props.nested.n = i
      ;(window as any).atrack.track('step', props)
    }
    props.step = 99
    props.nested.n = 99
  })
  const steps = await waitForEvents(collector, 5, { filter: { event: 'step' } })
  expect(steps.map((r) => r.body.attributes).sort((a: any, b: any) => a.step - b.step)).toEqual(
    [0, 1, 2, 3, 4].map((i) => ({ step: i, nested: { n: i } })),
  )
})

test('an SPA navigation right after track() does not change that event\'s page', async ({ page, site, collector }) => {
  await page.goto(site.url('/script-tag.html'))
  await waitForEvents(collector, 1, { filter: { event: 'page_view' } })
  await page.evaluate(() => {
    ;(window as any).atrack.track('before_nav', { where: 'first' })
    history.pushState({}, '', '/second-page')
    document.title = 'Second'
  })
  const [event] = await waitForEvents(collector, 1, { filter: { event: 'before_nav' } })
  expect(event.body.context.page).toMatchObject({ path: '/script-tag.html', title: 'Script tag fixture' })
  const views = await waitForEvents(collector, 2, { filter: { event: 'page_view' } })
  expect(views.map((r) => r.body.attributes.path)).toEqual(['/script-tag.html', '/second-page'])
})

test('no CORS preflight: /init, the page view and 20 events are 22 POSTs, no OPTIONS', async ({ page, site, collector }) => {
  await page.goto(site.url('/script-tag.html'))
  await page.evaluate(() => {
    for (let i = 0; i < 20; i++) (window as any).atrack.track('no_preflight', { i })
  })
  await waitForEvents(collector, 20, { filter: { event: 'no_preflight' } })
  expect(received(collector, { path: '/init' })).toHaveLength(1)
  const methods = collector.requests().map((r) => r.method)
  expect(methods.filter((m) => m == 'OPTIONS')).toEqual([])
  expect(methods.filter((m) => m == 'POST')).toHaveLength(22)
})
