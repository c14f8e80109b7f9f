// HTTP details of the collector: body limits, CORS and JSON answers.

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
