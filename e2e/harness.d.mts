// Types for the part of e2e/harness.mjs the TypeScript specs use.
import type { Collector } from '../demo/collector.mjs';
import type { StaticServer } from '../demo/static-server.mjs';

export const TEST_KEY: string;
export const RESULTS_DIR: string;
export function ensureDist(): void;
export function clearResults(engine: string): void;
export function resolveTestFile(pathname: string): string | null;
export function newCollector(options?: { port?: number; dataDir?: string }): Promise<Collector & { dataDir: string }>;
export function newSite(collectorUrl: string, urlHost?: string): Promise<StaticServer>;
