// WebKit: a message is fixed at its call (CONTRACT §2), as e2e/message.spec.ts proves in Chromium.
import { after, before, test } from 'node:test'
import { checkFixedAtCall } from '../e2e/fixed-at-call.mjs'
import { closeWebKit, launchWebKit, withFixture } from './harness.mjs'

let webkit
before(async () => {
  webkit = await launchWebKit()
})
after(() => closeWebKit(webkit))

test('a message is fixed at its call: a reused attributes object and an SPA navigation right after change nothing', { timeout: 60_000 }, (t) =>
  withFixture(t, webkit, checkFixedAtCall),
)
