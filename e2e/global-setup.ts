// Builds what the e2e pages load: the SDK itself when `dist/` is missing (running Playwright
// alone), and the ESM fixture app bundled from the package's ESM build, as an app's bundler would.
import resolve from '@rollup/plugin-node-resolve'
import { execSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { rollup } from 'rollup'

export default async function globalSetup(): Promise<void> {
  if (!existsSync('dist/atrack.min.js') || !existsSync('dist/index.js')) execSync('npx rollup -c', { stdio: 'inherit' })
  for (const app of ['esm-app', 'lab']) {
    const bundle = await rollup({ input: `e2e/apps/${app}.js`, plugins: [resolve({ browser: true })] })
    await bundle.write({ file: `e2e/pages/build/${app}.js`, format: 'es' })
    await bundle.close()
  }
}
