// Exit by closing the tab (CONTRACT §4). Firefox drops most of what a page sends from `pagehide`
// on a tab close (platform-facts.md): what was tracked must already be on its way. The tab closes
// one task after the calls, as no person can close a tab inside the task of a click.
import assert from 'node:assert/strict'
import { N, expectEachOnce, nextTask, openSdkPage, trackBurst } from './steps.mjs'

export default {
  id: 'exit-tab-close',
  fault: 'exit by tab close',
  title: `${N} events tracked right before the tab is closed all arrive, once`,
  timeoutMs: 60_000,
  async run({ browser, world, report }) {
    // another tab stays open: closing the last one would end the session (WebDriver) or the context
    const keeper = await browser.open()
    const tab = await browser.open()
    await openSdkPage(tab, world)
    await trackBurst(tab, 'exit_close')
    await nextTask(tab)
    await tab.close()
    await expectEachOnce(world, report, 'exit_close')
    assert.equal(typeof (await keeper.url()), 'string', 'the other tab is still there')
  },
}
