import { defineConfig } from '@playwright/test';

// Debian's Chromium by default: Playwright's own browsers cannot be downloaded here
// (see ../shared/platform-facts.md). ATRACK_CHROMIUM_PATH='' switches back to Playwright's.
const chromiumPath = process.env.ATRACK_CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  workers: 2,
  fullyParallel: true,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  reporter: 'list',
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          ...(chromiumPath ? { executablePath: chromiumPath } : {}),
          // Playwright turns the back/forward cache off; a visitor's Chromium has it (e2e/scenarios/bfcache.mjs).
          // Every page but ac-links.html is served no-store, which keeps it out of the cache anyway.
          ignoreDefaultArgs: ['--disable-back-forward-cache'],
          // Without the background-networking flags Chromium tries to reach hosts this machine cannot.
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
});
