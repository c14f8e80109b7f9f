// Types for demo/collector.mjs, so the TypeScript e2e fixtures get a typed collector.

export const MAX_BODY_BYTES: number;

export type CollectorPath = '/init' | '/attributes' | '/event';

/** A message as the SDK sent it. Loose on purpose: tests read arbitrary nested context. */
export interface WireBody {
  sdkVersion: string;
  messageId: string;
  uuid: string;
  [key: string]: any;
}

/** One accepted message, as stored in events.jsonl and returned by events(). */
export interface CollectorRecord {
  seq: number;
  receivedAt: string;
  path: CollectorPath;
  /** 'beacon' for a no-cors request (Sec-Fetch-Mode; without it, ?key= with a text/plain body), else 'fetch'. */
  transport: 'beacon' | 'fetch';
  /** A fetch that said it was sent with keepalive (`?via=keepalive`). */
  keepalive?: true;
  keySource: 'header' | 'query';
  contentType: string;
  origin: string | null;
  body: WireBody;
}

/** One request (accepted or not), /api/* excluded. */
export interface CollectorRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  status: number;
  /** A valid message whose messageId was already stored: answered 204, not stored again. */
  duplicate: boolean;
  /** Answered by a fault rule (fail()). */
  injected?: true;
  messageId?: string;
  keySource?: 'header' | 'query';
  /** The key the request gave, in the header or the query. */
  key?: string;
  contentType?: string;
  transport?: 'beacon' | 'fetch';
  keepalive?: true;
  /** Why it was refused, as the `error` of the answer (with the problems of an invalid body): e.g. 'unknown key'. */
  reason?: string;
}

/** A record predicate, or fields that must all match. */
export type RecordFilter =
  | ((record: CollectorRecord) => boolean)
  | { path?: CollectorPath; event?: string; uuid?: string; transport?: 'beacon' | 'fetch' };

/** Makes matching POST endpoints fail; `{ status: 0 }` clears. Without forMs/count it lasts until cleared. */
export interface FaultRule {
  /** 400-599, or 0 to clear. */
  status: number;
  forMs?: number;
  count?: number;
  retryAfter?: string | number;
  paths?: CollectorPath[];
}

export interface CollectorOptions {
  host?: string;
  port?: number;
  dataDir: string;
  keys?: string[];
  quiet?: boolean;
}

export interface Collector {
  /** e.g. http://127.0.0.1:43123 */
  url: string;
  port: number;
  /** <dataDir>/events.jsonl */
  dataFile: string;
  /** Accepted records in arrival order (optionally filtered). */
  events(filter?: RecordFilter): CollectorRecord[];
  requests(): CollectorRequest[];
  /** Forgets records, requests and the fault rule; truncates the file. */
  reset(): void;
  fail(rule: FaultRule | null): void;
  /** Holds each POST `ms` before reading it (0: none); one whose sender went away meanwhile is not stored. */
  slow(ms: number): void;
  close(): Promise<void>;
}

export function startCollector(options: CollectorOptions): Promise<Collector>;
