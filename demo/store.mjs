// The collector's memory: accepted records, appended to a JSON Lines file as they arrive
// and reloaded on start, so de-duplication by messageId survives a restart.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Name of the JSON Lines file inside the data directory. */
export const EVENTS_FILE = 'events.jsonl';

/**
 * Opens (or creates) the store in `dataDir`.
 *
 * @example const store = openStore('demo/data'); store.add({ path: '/event', body }) // record | null
 */
export function openStore(dataDir) {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, EVENTS_FILE);
  const records = loadRecords(file);
  const seen = new Set(records.map((record) => record.body?.messageId));
  let seq = records.reduce((max, record) => Math.max(max, record.seq || 0), 0);

  return {
    file,

    /** True when a message with this id was already accepted. */
    has: (messageId) => seen.has(messageId),

    /** Stores a record (seq and receivedAt added here); returns it. */
    add(fields) {
      const record = { seq: ++seq, receivedAt: new Date().toISOString(), ...fields };
      // appendFileSync: every accepted message is on disk before the 204 leaves, so a
      // crash or Ctrl-C never loses what the SDK was told had arrived.
      appendFileSync(file, JSON.stringify(record) + '\n');
      records.push(record);
      seen.add(record.body.messageId);
      return record;
    },

    /** Accepted records in arrival order, optionally filtered. */
    list: (filter) => records.filter((record) => matches(record, filter)),

    /** Forgets everything, on disk too. */
    reset() {
      records.length = 0;
      seen.clear();
      seq = 0;
      writeFileSync(file, '');
    },
  };
}

/**
 * True when `record` passes `filter`: a function, or an object whose keys
 * (`path`, `event`, `uuid`, `transport`) must all match.
 */
export function matches(record, filter) {
  if (!filter) return true;
  if (typeof filter === 'function') return Boolean(filter(record));
  if (filter.path && record.path !== filter.path) return false;
  if (filter.event && record.body?.event !== filter.event) return false;
  if (filter.uuid && record.body?.uuid !== filter.uuid) return false;
  if (filter.transport && record.transport !== filter.transport) return false;
  return true;
}

// A crash can leave a half-written last line: skip lines that do not parse rather
// than refuse to start.
function loadRecords(file) {
  if (!existsSync(file)) return [];
  const records = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const record = JSON.parse(line);
      if (record && typeof record === 'object' && record.body) records.push(record);
    } catch {
      // ignored: see above
    }
  }
  return records;
}
