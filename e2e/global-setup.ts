// Builds what the e2e pages load: the SDK itself when `dist/` is missing (running Playwright
// alone), the ESM fixture app bundled from the package's ESM build, as an app's bundler would,
// and the React Router example (examples/spa) with Vite, once for every test that drives it.
import resolve from '@rollup/plugin-node-resolve'
import { rollup } from 'rollup'
import { build } from 'vite'
import { clearResults, ensureDist } from './harness.mjs'

export default async function globalSetup(): Promise<void> {
  ensureDist()
  clearResults('Chromium') // the loss table's Chromium column comes from this run only
  for (const app of ['esm-app', 'lab']) {
    const bundle = await rollup({ input: `e2e/apps/${app}.js`, plugins: [resolve({ browser: true })] })
    await bundle.write({ file: `e2e/pages/build/${app}.js`, format: 'es' })
    await bundle.close()
  }
  await build({ root: 'examples/spa', logLevel: 'warn' })
}
