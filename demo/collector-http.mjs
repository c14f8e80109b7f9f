// HTTP details of the collector: body limits, CORS, JSON answers and refusals, the transport of a request.

/** Largest accepted body: the browser's whole beacon/keepalive budget (docs/browsers.md). */
export const MAX_BODY_BYTES = 64 * 1024;
/** After a 413, read and drop up to this much more so the client can read the answer. */
const MAX_DISCARD_BYTES = 1024 * 1024;

/**
 * Reads the body as text, or resolves null when it is over MAX_BODY_BYTES. An oversized
 * body is drained, not kept, so the client has finished writing and can read the 413;
 * past MAX_DISCARD_BYTES more, reading stops and the 413 goes out at once.
 */
export function readBody(req) {
  return new Promise((done, fail) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else chunks.length = 0;
      if (size > MAX_BODY_BYTES + MAX_DISCARD_BYTES) {
        req.pause(); // stop reading; the 413 closes the connection
        done(null);
      }
    });
    req.on('end', () => done(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

// Beacons are sent with credentials, so `*` is not enough: echo the Origin and allow
// credentials (docs/browsers.md). Retry-After must be exposed or cross-origin fetch cannot read it.
export function setCorsHeaders(req, res) {
  res.setHeader('Access-Control-Allow-Origin', req.headers.origin || '*');
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
  res.setHeader('Vary', 'Origin');
}

export function answerPreflight(res) {
  res.writeHead(204, {
    'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
    'Access-Control-Allow-Headers': 'content-type, x-a-track-key',
    'Access-Control-Max-Age': '600',
  });
  res.end();
}

export function sendJson(res, status, value) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(value));
}

/**
 * Answers a refused message with its reason, `{ "error": "unknown key" }`, plus the list of
 * problems for an invalid body (`errors`); the request log and the live view show the reason.
 */
export function refuse(res, meta, status, reason, errors) {
  meta.reason = errors ? `${reason}: ${errors.join('; ')}` : reason;
  return sendJson(res, status, errors ? { error: reason, errors } : { error: reason });
}

/** How the live view names a transport: a fetch that said it was keepalive is `keepalive`. */
export const transportName = (meta) => (meta.keepalive ? 'keepalive' : meta.transport);

/**
 * 'beacon' or 'fetch', as the browser tells it: a beacon with a text/plain body is a `no-cors`
 * request (Beacon spec §3.2), a fetch() is `cors`, and browsers say which in Sec-Fetch-Mode
 * (Chromium, Firefox 90+, Safari 16.4+). Without that header (a non-browser client), a text/plain
 * body with the key in the query counts as a beacon, the only way sendBeacon can carry the key.
 */
export function transportOf(req, keySource, mediaType) {
  const mode = req.headers['sec-fetch-mode'];
  if (mode) return mode === 'no-cors' ? 'beacon' : 'fetch';
  return keySource === 'query' && mediaType === 'text/plain' ? 'beacon' : 'fetch';
}
