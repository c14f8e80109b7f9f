// Types for demo/static-server.mjs.

export interface StaticServerOptions {
  host?: string;
  port?: number;
  /** Host name used in URLs (default 'localhost', while binding 127.0.0.1). */
  urlHost?: string;
  /** Maps a URL path to a file, or null for 404. */
  resolveFile(pathname: string): string | null;
  /** Placeholder → value, applied to every HTML response. */
  replacements?: Record<string, string>;
  quiet?: boolean;
  /** Path prefix → upstream base URL, e.g. `{ '/a/': collector.url }` (a same-origin API endpoint). */
  proxy?: Record<string, string>;
  /** Paths answered `Cache-Control: no-cache` instead of `no-store`, so a browser may keep them in its back/forward cache. */
  cacheable?: string[];
}

export interface StaticServer {
  origin: string;
  port: number;
  url(path?: string): string;
  page(path: string, html: string): void;
  close(): Promise<void>;
}

export function startStaticServer(options: StaticServerOptions): Promise<StaticServer>;
export function fileUnder(root: string, pathname: string): string | null;
export function fillPlaceholders(text: string, replacements: Record<string, string>): string;
