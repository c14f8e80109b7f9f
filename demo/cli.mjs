// Tiny helpers for the demo's runnable modules.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Longest a clean shutdown may take before the process exits anyway. */
export const SHUTDOWN_TIMEOUT_MS = 5_000;

/** True when the module with this `import.meta.url` was started with `node <file>`. */
export function isMain(metaUrl) {
  if (!process.argv[1]) return false;
  try {
    return pathToFileURL(realpathSync(process.argv[1])).href === metaUrl;
  } catch {
    return false;
  }
}

/**
 * Runs `stop()` on the first SIGINT/SIGTERM, then exits 0. A second signal, a failing
 * `stop()` or one that takes over SHUTDOWN_TIMEOUT_MS exits 1, so Ctrl-C never hangs.
 */
export function stopOnSignals(stop) {
  let stopping = false;
  const onSignal = (signal) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`\n${signal}: shutting down`);
    setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS).unref();
    Promise.resolve()
      .then(stop)
      .then(
        () => process.exit(0),
        (error) => {
          console.error(error);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
