// The bench's settings from the environment (BENCH_RUNS, BENCH_OUTAGE_MS, …), shared by run.mjs and backlog.mjs.

/** `process.env[name]` as a number from 0 to `max`; `fallback` when it is unset, empty or not a number. */
export const intEnv = (name, fallback, max) => {
  const value = Number(process.env[name] || NaN);
  return Math.max(0, Math.min(max, Number.isFinite(value) ? value : fallback));
};
