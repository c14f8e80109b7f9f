// Types for e2e/records.mjs, so the TypeScript specs share its helpers.
import type { Collector, CollectorRecord, RecordFilter } from '../demo/collector.mjs';

export const LIBRARY: { name: string; version: string };
export function sleep(ms: number): Promise<void>;
export function bounded(promise: Promise<unknown>, ms: number): Promise<boolean>;
export function retryAddressInUse<T>(start: () => Promise<T>, tries?: number, delayMs?: number): Promise<T>;
export function assertNewVisitorInit(assert: unknown, init: CollectorRecord): void;
export function received(collector: Collector, filter?: RecordFilter): CollectorRecord[];
export function waitForEvents(collector: Collector, n: number, options?: { filter?: RecordFilter; timeoutMs?: number }): Promise<CollectorRecord[]>;
export function waitForCount(count: () => number, n: number, timeoutMs: number): Promise<number>;
export function distinctIds(records: CollectorRecord[]): number;
export function eventNames(records: CollectorRecord[]): string[];
export function byTransport(records: CollectorRecord[]): Record<string, number>;
