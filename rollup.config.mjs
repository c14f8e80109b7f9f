import resolve from '@rollup/plugin-node-resolve'
import replace from '@rollup/plugin-replace'
import terser from '@rollup/plugin-terser'
import typescript from '@rollup/plugin-typescript'
import { dts } from 'rollup-plugin-dts'
import { readFileSync } from 'node:fs'
import { sri } from './pkgcheck/sri.mjs'

/** package.json holds the version, the one place it is written: the wire's `sdkVersion` and
 * `context.library.version` take it from here (vitest.config.ts does the same for the unit tests). */
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'))
const stampVersion = () => replace({ preventAssignment: true, values: { __SDK_VERSION__: JSON.stringify(version) } })

/** Private members start with `_`: terser renames them (as web-vitals does); public names stay. */
const minify = terser({
  ecma: 2020,
  compress: { passes: 3, pure_getters: true, unsafe_arrows: true },
  mangle: { properties: { regex: /^_/ } },
  format: { comments: false },
})

const isSdkIndex = (id) => /(^|[/\\])src[/\\]index(\.ts)?$/.test(id)

/** JavaScript only: the types come from the bundled declaration step below. */
const compile = () => typescript({ tsconfig: './tsconfig.build.json', declaration: false, declarationDir: undefined })

export default [
  // ESM for bundlers, minified like the script tag: an app's bundler renames no properties, so the
  // private `_` ones are renamed here (import cost, guarded by size-limit); its source map shows the
  // TypeScript in devtools.
  {
    input: 'src/index.ts',
    output: { file: 'dist/index.js', format: 'es', sourcemap: true },
    plugins: [stampVersion(), compile(), minify],
  },
  // the IIFE for the script tag, everything inlined; its map lets devtools show the source on a live site
  {
    input: 'src/browser.ts',
    output: { file: 'dist/atrack.min.js', format: 'iife', sourcemap: true },
    plugins: [stampVersion(), resolve({ browser: true }), compile(), minify, sri()],
  },
  // One declaration file per export, public API only (internal modules inlined, not exported):
  // dist/index.d.ts for `@a-track/web`, and dist/atrack.min.d.ts (the `window.atrack` global) for
  // `@a-track/web/atrack.min.js`, which takes its types from ./index.js instead of repeating them.
  {
    input: 'src/index.ts',
    output: { file: 'dist/index.d.ts', format: 'es' },
    plugins: [dts({ tsconfig: './tsconfig.build.json' })],
  },
  {
    input: 'types/atrack.min.d.ts',
    external: (id) => isSdkIndex(id),
    output: { file: 'dist/atrack.min.d.ts', format: 'es', paths: (id) => (isSdkIndex(id) ? './index.js' : id) },
    plugins: [dts({ tsconfig: './tsconfig.build.json' })],
  },
  // What `import { createATrack } from '@a-track/web'` costs an app (size-limit's second entry):
  // the ESM build just made, tree-shaken and minified by terser's defaults. Not shipped.
  {
    input: 'size/esm-entry.js',
    output: { file: '.size/createATrack.min.js', format: 'es' },
    plugins: [resolve({ browser: true }), terser()],
  },
]
