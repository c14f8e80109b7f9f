// Offline across a reload (CONTRACT §4): navigator.onLine false, 20 events, a reload that fails
// while offline, back online on the next visit. The leaving page keeps its queue for the next one.
// Chromium's emulation gives the leaving page an `online` event during the reload and lets its
// requests out (platform-facts.md), as a network that flaps right then would: the SDK sends again,
// and may see `offline` again before it leaves. What is in flight by fetch at that exit cannot be
// known to arrive, so the next page sends it again (at-least-once, CONTRACT §4; the backend drops
// the repeated messageId). None may be lost, and none that went by beacon may come twice.
import assert from 'node:assert/strict'
import { N, expectEachOnce, nextTask, openSdkPage, trackBurst } from './steps.mjs'

export default {
  id: 'offline-reload',
  fault: 'offline reload',
  title: `offline: ${N} events, a reload while still offline, back online: all arrive once`,
  needs: ['offline'],
  timeoutMs: 60_000,
  async run({ browser, world, report }) {
    const tab = await browser.open()
    await openSdkPage(tab, world)
    await tab.setOffline(true)
    assert.equal(await tab.evaluate(() => navigator.onLine), false, 'the offline emulation reached the page')
    await trackBurst(tab, 'offline')
    await nextTask(tab, 300)
    assert.equal(world.collector.events({ event: 'offline' }).length, 0, 'nothing can arrive while offline')
    await tab.reload() // fails: nothing loads offline; the leaving page persisted its queue
    // leave the error page, which would reload itself when the network returns, racing the visit
    await tab.goto('about:blank')
    await tab.setOffline(false)
    await tab.goto(world.site.url('/script-tag.html'))
    await expectEachOnce(world, report, 'offline', { inFlightAtExit: true })
  },
}
