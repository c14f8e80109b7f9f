// The collector's own /api: what the live view and the tests use to look inside it.
// Not part of the A-Track wire, so no key is needed (the collector is a local tool).
import { ENDPOINTS } from './validate.mjs';
import { readBody, sendJson } from './collector-http.mjs';

/** Comment line sent to live streams so proxies and browsers keep them open. */
const SSE_KEEPALIVE_MS = 15_000;
/** How soon a disconnected EventSource should reconnect. */
const SSE_RETRY_MS = 2_000;

const ROUTES = {
  'GET /api/events': listEvents,
  'GET /api/requests': ({ state, res }) => sendJson(res, 200, state.requests),
  'POST /api/reset': resetAll,
  'POST /api/fail': setFailRule,
  'GET /api/stream': openStream,
};

/** The handler for an /api request, or undefined. */
export function apiRoute(method, path) {
  return ROUTES[`${method} ${path}`];
}

/**
 * Turns a fault rule `{ status, forMs?, count?, retryAfter?, paths? }` into the collector's
 * form; `{ status: 0 }` (or nothing) clears. Throws a TypeError for a rule that makes no sense.
 *
 * @example normalizeFault({ status: 503, count: 2, retryAfter: '1' })
 */
export function normalizeFault(rule) {
  if (!rule || !rule.status) return null;
  const { status, forMs, count, retryAfter, paths } = rule;
  // 2xx/3xx would not be a failure; 4xx are allowed to test the SDK's "permanent error" path.
  if (!Number.isInteger(status) || status < 400 || status > 599) {
    throw new TypeError('fail: status must be an HTTP error status (400-599), or 0 to clear');
  }
  if (forMs != null && !(typeof forMs === 'number' && forMs > 0)) {
    throw new TypeError('fail: forMs must be a positive number of milliseconds');
  }
  if (count != null && !(Number.isInteger(count) && count > 0)) {
    throw new TypeError('fail: count must be a positive integer');
  }
  if (paths != null && !(Array.isArray(paths) && paths.every((path) => ENDPOINTS.includes(path)))) {
    throw new TypeError(`fail: paths must be a list of ${ENDPOINTS.join(', ')}`);
  }
  return {
    status,
    until: forMs ? Date.now() + forMs : Infinity,
    remaining: count ?? Infinity,
    retryAfter: retryAfter == null ? null : String(retryAfter),
    paths: paths ?? null,
  };
}

/** A small HTML page naming the endpoints, for whoever opens the collector's URL. */
export function indexPage() {
  const rows = [
    ['POST', '/init, /attributes, /event', 'the A-Track wire; key in x-a-track-key or ?key='],
    ['GET', '/api/events?path=&event=', 'accepted records (JSON)'],
    ['GET', '/api/requests', 'every request, rejected ones too (JSON)'],
    ['GET', '/api/stream', 'accepted records as Server-Sent Events'],
    ['POST', '/api/reset', 'forget everything'],
    ['POST', '/api/fail', '{ status, forMs?, count?, retryAfter?, paths? }; { status: 0 } clears'],
  ];
  const body = rows.map(([m, p, what]) => `<tr><td>${m}</td><td><code>${p}</code></td><td>${what}</td></tr>`).join('');
  return `<!doctype html><meta charset="utf-8"><title>A-Track collector</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:52rem;color:#1f2933}
td{padding:.3rem .8rem;border-bottom:1px solid #e4e7eb}code{color:#5b21b6}</style>
<h1>A-Track reference collector</h1><table>${body}</table>`;
}

function listEvents({ state, res, url }) {
  const filter = {};
  for (const key of ['path', 'event', 'uuid', 'transport']) {
    const value = url.searchParams.get(key);
    if (value) filter[key] = value;
  }
  sendJson(res, 200, state.store.list(filter));
}

function resetAll({ state, res, reset }) {
  reset(state);
  res.writeHead(204).end();
}

async function setFailRule({ state, req, res }) {
  const text = await readBody(req);
  try {
    state.fault = normalizeFault(text ? JSON.parse(text) : null);
  } catch (error) {
    return sendJson(res, 400, { errors: [error.message] });
  }
  const fault = state.fault;
  sendJson(res, 200, {
    fault: fault && {
      ...fault,
      until: Number.isFinite(fault.until) ? new Date(fault.until).toISOString() : null,
      remaining: Number.isFinite(fault.remaining) ? fault.remaining : null,
    },
  });
}

function openStream({ state, req, res }) {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
  });
  // A first line flushes the headers, so the browser's EventSource opens at once.
  res.write(`retry: ${SSE_RETRY_MS}\n: connected\n\n`);
  const keepalive = setInterval(() => res.write(': keepalive\n\n'), SSE_KEEPALIVE_MS);
  keepalive.unref();
  state.streams.add(res);
  req.socket.setTimeout(0); // a live view may sit idle for hours
  res.on('close', () => {
    clearInterval(keepalive);
    state.streams.delete(res);
  });
}
