// A small static file server for the demo site and the end-to-end pages. HTML files get
// their placeholders (`__COLLECTOR__`, `__KEY__`, and `__ORIGIN__`, the site's own) replaced, so a page can point the SDK at
// a collector whose port is only known at run time. It can also proxy a path prefix to another
// server (`proxy: { '/a/': collector.url }`), the way a site serves the A-Track API under its own
// origin (first-party collection; README "Same-origin endpoint").
import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

/** How long a proxied request may take before the proxy answers 504. */
const PROXY_TIMEOUT_MS = 15_000;
/** Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection and are not forwarded. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade'];

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Starts the server. `resolveFile(pathname)` maps a URL path to a file (or null); pages
 * registered with `page()` win over files. The server binds `host` but its URLs use
 * `urlHost`, so pages on `localhost` and a collector on `127.0.0.1` are cross-site, as on
 * the web. `proxy` maps path prefixes to upstream base URLs: `{ '/a/': 'http://127.0.0.1:8787' }`
 * sends `POST /a/event?key=…` to `http://127.0.0.1:8787/event?key=…` and the answer back.
 *
 * @example
 * const site = await startStaticServer({ resolveFile: (p) => fileUnder('e2e/pages', p) });
 * site.page('/extra.html', '<p>hi</p>'); site.url('/extra.html') // 'http://localhost:PORT/extra.html'
 */
export async function startStaticServer(options) {
  const { host = '127.0.0.1', port = 0, urlHost = 'localhost', resolveFile, quiet = true, proxy = {}, cacheable = [] } = options;
  // `__ORIGIN__` is this site's own origin (e.g. for a same-origin `data-api-host="__ORIGIN__/a"`)
  const replacements = { ...options.replacements };
  const pages = new Map();
  const proxies = Object.entries(proxy).map(([prefix, target]) => ({ prefix: prefix.endsWith('/') ? prefix : prefix + '/', target: new URL(target) }));
  const server = http.createServer((req, res) => {
    const route = proxies.find(({ prefix }) => req.url.startsWith(prefix));
    (route ? forward(req, res, route) : serve({ req, res, pages, resolveFile, replacements, cacheable })).then(
      (status) => quiet || console.log(`site ${req.method} ${req.url} ${status}`),
      (error) => {
        if (!quiet) console.error(error);
        if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error');
      },
    );
  });
  await new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, done);
  });

  const origin = `http://${urlHost}:${server.address().port}`;
  replacements.__ORIGIN__ ??= origin;
  let closing = null;
  return {
    origin,
    port: server.address().port,
    /** Full URL of a path on this site. */
    url: (path = '/') => new URL(path, origin).href,
    /** Serves `html` (placeholders replaced) at `path` from now on. */
    page: (path, html) => {
      pages.set(path, html);
    },
    close: () =>
      (closing ??= new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections(); // don't wait for the browser's idle keep-alive sockets
      })),
  };
}

/**
 * The file under `root` for a URL path (`/` and directories → `index.html`), or null when
 * the path would leave `root`.
 */
export function fileUnder(root, pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const base = resolve(root);
  const file = join(base, decoded.endsWith('/') ? `${decoded}index.html` : decoded);
  return file === base || file.startsWith(base + sep) ? file : null;
}

/** `text` with every placeholder key replaced by its value. */
export function fillPlaceholders(text, replacements) {
  let out = text;
  for (const [placeholder, value] of Object.entries(replacements)) out = out.replaceAll(placeholder, value);
  return out;
}

async function serve({ req, res, pages, resolveFile, replacements, cacheable }) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed');
  }
  const { pathname } = new URL(req.url, 'http://site');
  // no-store keeps a page out of the back/forward cache (Chromium); no-cache still revalidates
  if (cacheable.includes(pathname)) res.setHeader('cache-control', 'no-cache');
  if (pages.has(pathname)) {
    return send(res, 200, CONTENT_TYPES['.html'], fillPlaceholders(pages.get(pathname), replacements));
  }
  const file = await existingFile(resolveFile(pathname));
  if (!file) return send(res, 404, 'text/html; charset=utf-8', `<!doctype html><title>404</title><h1>404</h1><p>${escapeHtml(pathname)}</p>`);

  const type = CONTENT_TYPES[extname(file).toLowerCase()] || 'application/octet-stream';
  const content = await readFile(file);
  const body = type.startsWith('text/html') ? fillPlaceholders(content.toString('utf8'), replacements) : content;
  return send(res, 200, type, body);
}

/**
 * Sends the request to `target` with the prefix removed and pipes the answer back: method,
 * headers (hop-by-hop ones dropped, `host` set to the upstream's) and body unchanged, plus
 * `X-Forwarded-For/-Host/-Proto` so the upstream knows the visitor, as nginx's proxy_pass would.
 * Resolves with the upstream status (502 when it cannot be reached, 504 when it is too slow).
 */
function forward(req, res, { prefix, target }) {
  const path = target.pathname.replace(/\/$/, '') + '/' + req.url.slice(prefix.length);
  const headers = { ...req.headers, host: target.host };
  for (const name of HOP_BY_HOP) delete headers[name];
  const visitor = req.socket.remoteAddress;
  headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${req.headers['x-forwarded-for']}, ${visitor}` : visitor;
  headers['x-forwarded-host'] = req.headers.host;
  headers['x-forwarded-proto'] = 'http';
  return new Promise((done) => {
    const upstream = http.request({ hostname: target.hostname, port: target.port, method: req.method, path, headers, timeout: PROXY_TIMEOUT_MS });
    upstream.on('response', (answer) => {
      const out = { ...answer.headers };
      for (const name of HOP_BY_HOP) delete out[name];
      res.writeHead(answer.statusCode, out);
      answer.pipe(res);
      answer.on('end', () => done(answer.statusCode));
      answer.on('error', () => res.destroy());
    });
    upstream.on('timeout', () => upstream.destroy(Object.assign(new Error('upstream timeout'), { code: 'ETIMEDOUT' })));
    upstream.on('error', (error) => {
      const status = error.code === 'ETIMEDOUT' ? 504 : 502;
      if (!res.headersSent) send(res, status, 'text/plain; charset=utf-8', `proxy: ${target.origin} ${error.code || error.message}`);
      else res.destroy();
      done(status);
    });
    req.pipe(upstream);
  });
}

async function existingFile(file) {
  if (!file) return null;
  try {
    const info = await stat(file);
    if (info.isFile()) return file;
    if (info.isDirectory()) return existingFile(join(file, 'index.html'));
  } catch {
    // missing: 404
  }
  return null;
}

function send(res, status, type, body) {
  // no-store: a rebuilt bundle or edited page must show on the next reload, never a stale copy.
  res.writeHead(status, { 'content-type': type, 'cache-control': res.getHeader('cache-control') ?? 'no-store' });
  res.end(res.req.method === 'HEAD' ? undefined : body);
  return status;
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
