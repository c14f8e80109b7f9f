// Builds what the e2e pages load: the SDK itself when `dist/` is missing (running Playwright
// alone), the ESM fixture app bundled from the package's ESM build, as an app's bundler would,
// and the React Router example (examples/spa), a project of its own: its dependencies installed
// from its lockfile (the SDK linked from this repository, `file:../..`), then its own build, which
// type-checks it first (`tsc --noEmit && vite build`), once for every test that drives it.
import resolve from '@rollup/plugin-node-resolve'
import { execSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { rollup } from 'rollup'

const example = 'examples/spa'

export default async function globalSetup(): Promise<void> {
  if (!existsSync('dist/atrack.min.js') || !existsSync('dist/index.js')) execSync('npx rollup -c', { stdio: 'inherit' })
  for (const app of ['esm-app', 'lab']) {
    const bundle = await rollup({ input: `e2e/apps/${app}.js`, plugins: [resolve({ browser: true })] })
    await bundle.write({ file: `e2e/pages/build/${app}.js`, format: 'es' })
    await bundle.close()
  }
  // offline-friendly: from npm's cache when it has the packages, no audit or funding requests
  execSync('npm ci --prefer-offline --no-audit --no-fund --loglevel=error', { cwd: example, stdio: 'inherit', timeout: 300_000 })
  execSync('npm run build --silent -- --logLevel warn', { cwd: example, stdio: 'inherit', timeout: 300_000 })
}
