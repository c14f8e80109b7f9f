// Wire validation for the reference collector: docs/wire.md is exact, so the collector
// rejects anything the A-Track backend would not accept, and lists every problem at once
// (an SDK developer fixes a payload faster from the whole list than from the first error).

/** Longest accepted values, in characters. */
export const MAX_MESSAGE_ID_CHARS = 64;
export const MAX_UUID_CHARS = 256;
export const MAX_EVENT_NAME_CHARS = 256;

const MODES = ['merge', 'replace'];

// One rule set per endpoint: field -> check. The keys are also the only allowed keys.
const COMMON = {
  sdkVersion: nonEmptyString(),
  messageId: nonEmptyString(MAX_MESSAGE_ID_CHARS),
  uuid: nonEmptyString(MAX_UUID_CHARS),
};

const RULES = {
  '/event': {
    ...COMMON,
    event: nonEmptyString(MAX_EVENT_NAME_CHARS),
    attributes: plainObject,
    timestamp: isoDate,
    context: plainObject,
  },
  '/init': {
    ...COMMON,
    isNewUser: boolean,
    mode: mode,
    context: plainObject,
    attributes: plainObject,
    profile: plainObject,
  },
  '/attributes': {
    ...COMMON,
    mode: mode,
    attributes: plainObject,
    profile: plainObject,
  },
};

/** The endpoints the collector ingests. */
export const ENDPOINTS = Object.keys(RULES);

/**
 * Every problem with `body` as a message for `path`, as `"field: problem"` strings.
 * An empty array means the message is valid.
 *
 * @example validateMessage('/event', { uuid: '' }) // ['sdkVersion: must be a non-empty string', ...]
 */
export function validateMessage(path, body) {
  const rules = RULES[path];
  if (!rules) return [`path: unknown endpoint ${path}`];
  if (!isPlainObject(body)) return ['body: must be a JSON object'];

  const errors = [];
  for (const [field, check] of Object.entries(rules)) {
    const problem = field in body ? check(body[field]) : `must be ${check.expected}`;
    if (problem) errors.push(`${field}: ${problem}`);
  }
  for (const field of Object.keys(body)) {
    if (!(field in rules)) errors.push(`${field}: unknown key (allowed: ${Object.keys(rules).join(', ')})`);
  }
  return errors;
}

/** True for `{}`-like values: not null, not an array. */
export function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// Each check returns null when the value is fine, else the problem without the field name.
// `check.expected` says what a missing field should have been.

function nonEmptyString(maxChars) {
  const check = (value) => {
    if (typeof value !== 'string' || value === '') return `must be ${check.expected}`;
    if (maxChars && value.length > maxChars) return `must be at most ${maxChars} characters (got ${value.length})`;
    return null;
  };
  check.expected = 'a non-empty string';
  return check;
}

function plainObject(value) {
  return isPlainObject(value) ? null : `must be ${plainObject.expected}`;
}
plainObject.expected = 'a plain object';

function boolean(value) {
  return typeof value === 'boolean' ? null : `must be ${boolean.expected}`;
}
boolean.expected = 'a boolean';

function mode(value) {
  return MODES.includes(value) ? null : `must be ${mode.expected}`;
}
mode.expected = "'merge' or 'replace'";

// `Date.parse` alone accepts "2026-04-08" and "April 8": the wire carries a full
// ISO-8601 date-time, as `Date.prototype.toISOString()` writes it.
const ISO_DATE_TIME = /^[+-]?\d{4,6}-\d{2}-\d{2}T\d{2}:\d{2}/;

function isoDate(value) {
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    return `must be ${isoDate.expected}`;
  }
  return null;
}
isoDate.expected = 'an ISO-8601 date-time string (e.g. 2026-04-08T12:00:00.000Z)';
