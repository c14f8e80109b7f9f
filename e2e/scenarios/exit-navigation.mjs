// Exit by navigation (CONTRACT §4): 20 events tracked right before `location.href = …` to another
// origin without the SDK. Nothing there can rescue a lost message from the persisted queue: what
// arrives is what the leaving page itself delivered (a fetch as each is queued, sendBeacon for what
// is pending at exit). WebKit fires `pagehide` before `visibilitychange`, Chromium the reverse.
import { N, expectEachOnce, openSdkPage, trackThenLeave } from './steps.mjs'

export default {
  id: 'exit-navigation',
  fault: 'exit by navigation',
  title: `${N} events tracked right before location.href = … (another origin, no SDK) all arrive, once`,
  timeoutMs: 60_000,
  async run({ browser, world, report }) {
    const tab = await browser.open()
    await openSdkPage(tab, world)
    world.elsewhere.page('/no-sdk.html', '<!doctype html><title>no sdk</title><p>another origin, without the SDK</p>')
    const next = world.elsewhere.url('/no-sdk.html')
    await trackThenLeave(tab, 'exit_nav', next)
    await expectEachOnce(world, report, 'exit_nav')
  },
}
