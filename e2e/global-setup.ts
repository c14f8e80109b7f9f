// Builds what the e2e pages load: the SDK itself when `dist/` is missing (running Playwright
// alone), the ESM fixture app bundled from the package's ESM build, as an app's bundler would,
// and the React Router example (examples/spa) with Vite, once for every test that drives it.
import resolve from '@rollup/plugin-node-resolve'
import { execSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { rollup } from 'rollup'
import { build } from 'vite'

export default async function globalSetup(): Promise<void> {
  if (!existsSync('dist/atrack.min.js') || !existsSync('dist/index.js')) execSync('npx rollup -c', { stdio: 'inherit' })
  for (const app of ['esm-app', 'lab']) {
    const bundle = await rollup({ input: `e2e/apps/${app}.js`, plugins: [resolve({ browser: true })] })
    await bundle.write({ file: `e2e/pages/build/${app}.js`, format: 'es' })
    await bundle.close()
  }
  await build({ root: 'examples/spa', logLevel: 'warn' })
}
