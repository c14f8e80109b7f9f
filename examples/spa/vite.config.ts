// `npm run dev` serves the app on http://127.0.0.1:5173 with the A-Track API under the same origin
// at /a/, proxied to the reference collector of the SDK's `npm run demo` (http://127.0.0.1:8787, or
// ATRACK_COLLECTOR); `npm run preview` does the same for the production build (`npm run build`).
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const collector = process.env.ATRACK_COLLECTOR || 'http://127.0.0.1:8787'
const api = { '/a/': { target: collector, rewrite: (path: string) => path.slice('/a'.length) } }

export default defineConfig({
  plugins: [react()],
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
