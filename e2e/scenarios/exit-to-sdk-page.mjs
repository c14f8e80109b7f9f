// Exit to a page with the SDK (CONTRACT §4): the next page looks for queues left behind, and must
// not send again what the leaving page already handed to the browser.
import { waitForEvents } from '../records.mjs'
import { N, expectEachOnce, openSdkPage, trackThenLeave } from './steps.mjs'

export default {
  id: 'exit-to-sdk-page',
  fault: 'exit to a page with the SDK',
  title: `${N} events tracked right before navigating to another SDK page arrive once, not resent by that page`,
  timeoutMs: 60_000,
  async run({ browser, world, report }) {
    const tab = await browser.open()
    await openSdkPage(tab, world)
    await trackThenLeave(tab, 'exit_sdk', world.site.url('/script-tag.html?page=2'))
    await waitForEvents(world.collector, 2, { filter: { event: 'page_view' } })
    await expectEachOnce(world, report, 'exit_sdk')
  },
}
