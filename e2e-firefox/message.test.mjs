// Firefox ESR: a message is fixed at its call (CONTRACT §2), as e2e/message.spec.ts proves in Chromium.
import { after, before, test } from 'node:test'
import { checkFixedAtCall } from '../e2e/fixed-at-call.mjs'
import { closeFirefox, launchFirefox, withFixture } from './harness.mjs'

let browser
before(async () => {
  browser = await launchFirefox()
})
after(() => closeFirefox(browser))

test('a message is fixed at its call: a reused attributes object and an SPA navigation right after change nothing', { timeout: 60_000 }, (t) =>
  withFixture(t, browser, checkFixedAtCall),
)
