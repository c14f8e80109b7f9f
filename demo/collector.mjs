// The reference collector: a real HTTP server that speaks the A-Track wire (docs/wire.md)
// strictly, so the demo and the end-to-end tests see exactly what the backend would accept.
//
//   node demo/collector.mjs            PORT=8787 HOST=127.0.0.1 DATA_DIR=demo/data KEYS=pub_demo,pub_test
//   const c = await startCollector({ dataDir }); ... c.events(); await c.close();
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { ENDPOINTS, validateMessage } from './validate.mjs';
import { openStore } from './store.mjs';
import { isMain, stopOnSignals } from './cli.mjs';
import { apiRoute, indexPage, normalizeFault } from './collector-api.mjs';
import { MAX_BODY_BYTES, answerPreflight, readBody, refuse, sendJson, setCorsHeaders, transportName, transportOf } from './collector-http.mjs';

export { MAX_BODY_BYTES };

/** Keep at most this many entries in the request log (the demo may run for days). */
const MAX_REQUEST_LOG = 10_000;
const ACCEPTED_MEDIA_TYPES = ['application/json', 'text/plain'];

/**
 * Starts a collector and resolves once it listens.
 *
 * @example
 * const collector = await startCollector({ dataDir: '/tmp/x', quiet: true });
 * await fetch(collector.url + '/event', { method: 'POST', ... });
 * collector.events(); // [{ seq, receivedAt, path, transport, keySource, contentType, origin, body }]
 * await collector.close();
 */
export async function startCollector(options = {}) {
  const { host = '127.0.0.1', port = 0, dataDir, keys = ['pub_demo', 'pub_test'], quiet = false } = options;
  if (!dataDir) throw new TypeError('startCollector: options.dataDir is required');

  const state = {
    store: openStore(dataDir),
    keys: new Set(keys),
    requests: [],
    requestSeq: 0,
    fault: null,
    streams: new Set(),
    quiet,
  };
  const server = http.createServer((req, res) => {
    handleRequest(state, req, res).catch((error) => {
      if (!quiet) console.error(error);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  await new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, done);
  });

  const actualPort = server.address().port;
  let closing = null;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`,
    port: actualPort,
    dataFile: state.store.file,
    events: (filter) => state.store.list(filter),
    requests: () => state.requests.slice(),
    reset: () => reset(state),
    fail: (rule) => {
      state.fault = normalizeFault(rule);
    },
    slow: (ms) => {
      state.latencyMs = ms > 0 ? ms : 0;
    },
    close: () => (closing ??= shutdown(state, server)),
  };
}

/** Forgets records, the request log and any fault rule; truncates the file; tells live views. */
function reset(state) {
  state.store.reset();
  state.requests.length = 0;
  state.fault = null;
  broadcast(state, 'event: reset\ndata: {}\n\n');
}

async function shutdown(state, server) {
  for (const stream of state.streams) stream.end();
  state.streams.clear();
  const closed = new Promise((done) => server.close(() => done()));
  // Browsers keep idle keep-alive sockets open; without this, close() waits for them.
  server.closeAllConnections();
  await closed;
  // Records are written with appendFileSync as they arrive: nothing left to flush.
}

async function handleRequest(state, req, res) {
  const url = new URL(req.url, 'http://collector');
  const meta = { started: process.hrtime.bigint(), duplicate: false, injected: false };
  trackResponse(state, req, res, url.pathname, meta);
  setCorsHeaders(req, res);

  if (req.method === 'OPTIONS') return answerPreflight(res);
  if (ENDPOINTS.includes(url.pathname)) {
    if (req.method === 'POST') return ingest(state, req, res, url, meta);
    res.setHeader('Allow', 'POST, OPTIONS');
    return sendJson(res, 405, { error: `use POST for ${url.pathname}` });
  }
  const route = apiRoute(req.method, url.pathname);
  if (route) return route({ state, req, res, url, reset });
  if (req.method === 'GET' && url.pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return res.end(indexPage());
  }
  return sendJson(res, 404, { error: 'not found' });
}

// Checks run in the order a real backend would: availability, key, format, size, content.
async function ingest(state, req, res, url, meta) {
  const path = url.pathname;
  const fault = takeFault(state, path);
  if (fault) {
    meta.injected = true;
    if (fault.retryAfter) res.setHeader('Retry-After', fault.retryAfter);
    return refuse(res, meta, fault.status, 'injected failure');
  }

  const headerKey = req.headers['x-a-track-key'];
  const queryKey = url.searchParams.get('key');
  meta.keySource = headerKey ? 'header' : queryKey ? 'query' : undefined;
  meta.key = headerKey || queryKey || undefined;
  meta.contentType = req.headers['content-type'];
  const mediaType = (meta.contentType || '').split(';')[0].trim().toLowerCase();
  meta.transport = transportOf(req, meta.keySource, mediaType);
  // A keepalive fetch looks like any other fetch on the wire; a sender may say so with ?via=keepalive.
  if (meta.transport === 'fetch' && url.searchParams.get('via') === 'keepalive') meta.keepalive = true;

  if (!state.keys.has(meta.key)) return refuse(res, meta, 401, 'unknown key');
  if (state.latencyMs) {
    // a slow network or backend: the request is in flight this long before it is read; one the
    // sender gave up meanwhile (a page left with its plain fetches) is not taken (nginx's 499)
    await new Promise((resolve) => setTimeout(resolve, state.latencyMs));
    if (req.socket.destroyed) {
      meta.reason = 'the sender went away';
      return res.destroy();
    }
  }
  if (!ACCEPTED_MEDIA_TYPES.includes(mediaType)) return refuse(res, meta, 415, 'content-type must be application/json or text/plain');
  const text = await readBody(req);
  if (text === null) {
    res.setHeader('Connection', 'close');
    return refuse(res, meta, 413, `body over ${MAX_BODY_BYTES} bytes`);
  }

  let body;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return refuse(res, meta, 400, 'invalid JSON', [`body: invalid JSON (${error.message})`]);
  }
  if (typeof body?.messageId === 'string') meta.messageId = body.messageId;
  const errors = validateMessage(path, body);
  if (errors.length) return refuse(res, meta, 400, 'invalid message', errors);

  if (state.store.has(body.messageId)) {
    meta.duplicate = true; // a retry of something already stored: success, stored once
  } else {
    const record = state.store.add({
      path,
      transport: meta.transport,
      ...(meta.keepalive ? { keepalive: true } : {}),
      keySource: meta.keySource,
      contentType: meta.contentType,
      origin: req.headers.origin ?? null,
      body,
    });
    broadcast(state, `data: ${JSON.stringify(record)}\n\n`);
  }
  res.writeHead(204).end();
}

/** The active fault rule when it applies to this request (and counts it), else null. */
function takeFault(state, path) {
  const fault = state.fault;
  if (!fault) return null;
  if (Date.now() >= fault.until || fault.remaining <= 0) {
    state.fault = null;
    return null;
  }
  if (fault.paths && !fault.paths.includes(path)) return null;
  fault.remaining -= 1;
  return fault;
}

function broadcast(state, text) {
  for (const stream of state.streams) stream.write(text);
}

// Logs once per request, when the answer is sent (or the client went away first).
function trackResponse(state, req, res, path, meta) {
  const seq = ++state.requestSeq;
  const at = new Date().toISOString();
  const done = () => {
    const ms = Number(process.hrtime.bigint() - meta.started) / 1e6;
    if (!state.quiet) console.log(logLine(req.method, path, res.headersSent ? res.statusCode : 0, meta, ms));
    if (path.startsWith('/api/')) return;
    // status 0: the client went away before an answer was sent
    const status = res.headersSent ? res.statusCode : 0;
    const entry = { seq, at, method: req.method, path, status, duplicate: meta.duplicate };
    if (meta.injected) entry.injected = true;
    for (const key of ['messageId', 'keySource', 'key', 'contentType', 'transport', 'keepalive', 'reason']) if (meta[key]) entry[key] = meta[key];
    state.requests.push(entry);
    if (state.requests.length > MAX_REQUEST_LOG) state.requests.shift();
    // live views count requests (duplicates and refusals too) as they happen
    broadcast(state, `event: request\ndata: ${JSON.stringify(entry)}\n\n`);
  };
  res.once('finish', done);
  res.once('close', () => res.writableFinished || done());
}

// e.g. `POST /event 401 beacon 0.4ms key pub_xxx: unknown key`, the transport named as in the live view
function logLine(method, path, status, meta, ms) {
  const refused = meta.reason && !meta.injected && `key ${meta.key || '(none)'}: ${meta.reason}`;
  const notes = [meta.duplicate && 'duplicate', meta.injected && 'injected', refused];
  const note = notes.filter(Boolean).join(' ');
  return `${method} ${path} ${status} ${transportName(meta) || '-'} ${ms.toFixed(1)}ms${note ? ` ${note}` : ''}`;
}

async function main() {
  const env = process.env;
  const collector = await startCollector({
    host: env.HOST || '127.0.0.1',
    port: Number(env.PORT || 8787),
    dataDir: env.DATA_DIR ? resolve(env.DATA_DIR) : fileURLToPath(new URL('./data', import.meta.url)),
    keys: (env.KEYS || 'pub_demo,pub_test').split(',').map((key) => key.trim()).filter(Boolean),
  });
  console.log(`A-Track collector on ${collector.url} (data: ${collector.dataFile})`);
  stopOnSignals(() => collector.close());
}

if (isMain(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
