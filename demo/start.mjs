// `npm run demo`: builds the SDK if needed, then runs the reference collector and the demo
// site side by side. The site is on `localhost` and the collector on `127.0.0.1`, so the
// browser treats them as different sites, as it would a real page and api.a-track.io.
//
//   COLLECTOR_PORT=8787 DEMO_PORT=8080 npm run demo
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCollector } from './collector.mjs';
import { fileUnder, startStaticServer } from './static-server.mjs';
import { stopOnSignals } from './cli.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const siteDir = fileURLToPath(new URL('./site/', import.meta.url));
const distDir = fileURLToPath(new URL('../dist/', import.meta.url));
const dataDir = fileURLToPath(new URL('./data/', import.meta.url));
const DEMO_KEY = 'pub_demo';
/** Where the demo site proxies the A-Track API to the collector (its same-origin endpoint). */
const API_PREFIX = '/a/';

/** Where each URL path of the demo site comes from. */
function resolveDemoFile(pathname) {
  if (pathname === '/atrack.min.js' || pathname === '/atrack.min.js.map') return fileUnder(distDir, pathname);
  // The SPA page handles its own routes: any /spa/... deep link or reload gets the same HTML.
  if (pathname === '/spa' || pathname.startsWith('/spa/')) return fileUnder(siteDir, '/spa.html');
  return fileUnder(siteDir, pathname);
}

function buildIfMissing() {
  if (existsSync(join(distDir, 'atrack.min.js'))) return;
  console.log('dist/atrack.min.js is missing: running npm run build');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm run build failed (exit ${result.status ?? result.signal})`);
}

async function main() {
  buildIfMissing();
  const collector = await startCollector({
    host: '127.0.0.1',
    port: Number(process.env.COLLECTOR_PORT || 8787),
    dataDir,
  });
  const site = await startStaticServer({
    host: '127.0.0.1',
    port: Number(process.env.DEMO_PORT || 8080),
    urlHost: 'localhost',
    resolveFile: resolveDemoFile,
    replacements: { __COLLECTOR__: collector.url, __KEY__: DEMO_KEY },
    // first-party collection: the site serves the A-Track API under its own origin, at /a/
    proxy: { [API_PREFIX]: collector.url },
  }).catch(async (error) => {
    await collector.close();
    throw error;
  });

  console.log(`
  A-Track demo
    marketing page  ${site.url('/')}
    single-page app ${site.url('/spa')}  (sends to ${site.url(API_PREFIX)}, proxied to the collector)
    consent banner  ${site.url('/consent.html')}
    live view       ${site.url('/live.html')}
    collector       ${collector.url}  (data: ${collector.dataFile})

  Ctrl-C stops both.
`);
  stopOnSignals(() => Promise.all([site.close(), collector.close()]));
}

main().catch((error) => {
  console.error(error.code === 'EADDRINUSE' ? `Port in use (${error.address}:${error.port}); set COLLECTOR_PORT / DEMO_PORT.` : error);
  process.exit(1);
});
