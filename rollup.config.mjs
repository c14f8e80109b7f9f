import resolve from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import typescript from '@rollup/plugin-typescript'

/** Private members start with `_`: terser renames them (as web-vitals does); public names stay. */
const minify = terser({
  ecma: 2020,
  compress: { passes: 3, pure_getters: true, unsafe_arrows: true },
  mangle: { properties: { regex: /^_/ } },
  format: { comments: false },
})

export default [
  // ESM for bundlers, with .d.ts; nanoid stays an import so the app's bundler dedupes it
  {
    input: 'src/index.ts',
    external: ['nanoid'],
    output: { file: 'dist/index.js', format: 'es', sourcemap: true },
    plugins: [typescript({ tsconfig: './tsconfig.build.json' })],
  },
  // the IIFE for the script tag, everything inlined
  {
    input: 'src/browser.ts',
    output: { file: 'dist/atrack.min.js', format: 'iife', sourcemap: true },
    plugins: [resolve({ browser: true }), typescript({ tsconfig: './tsconfig.build.json', declaration: false, declarationDir: undefined }), minify],
  },
]
