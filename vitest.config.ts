import { readFileSync } from 'node:fs'
import { defineConfig } from 'vitest/config'

/** package.json's version, as the build writes it in (rollup.config.mjs): the code under test is the one shipped. */
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }

export default defineConfig({
  define: { __SDK_VERSION__: JSON.stringify(version) },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'happy-dom',
    restoreMocks: true,
  },
})
