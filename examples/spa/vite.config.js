// `npx vite examples/spa` (from the repository root) serves the example with the A-Track API
// under the same origin at /a/, proxied to the reference collector of `npm run demo`
// (http://127.0.0.1:8787, or ATRACK_COLLECTOR). `npx vite build examples/spa` bundles it.
import { defineConfig } from 'vite'

const collector = process.env.ATRACK_COLLECTOR || 'http://127.0.0.1:8787'
const api = { '/a/': { target: collector, rewrite: (path) => path.slice('/a'.length) } }

export default defineConfig({
  server: { host: '127.0.0.1', proxy: api },
  preview: { host: '127.0.0.1', proxy: api },
  build: {
    rolldownOptions: {
      // react-router starts with "use client", which means nothing in a client-only bundle
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning)
      },
    },
  },
})
