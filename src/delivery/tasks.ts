/**
 * Later tasks. Work that can wait (opening storage, serialising, storage writes, sending) runs in
 * a task of its own, so the page's handler returns at once and the page gets its turn before we
 * do; a microtask would run before the page gets its turn back. A MessageChannel message is a new
 * task without the 4 ms clamp of nested timers (HTML, "timer initialisation steps"), and it is
 * not throttled in background tabs as timers are.
 *
 * @example const tasks = createTasks(); tasks._later(() => work()); tasks._stop()
 */
export function createTasks() {
  let channel: MessageChannel | undefined
  let waiting: (() => void)[] = []
  return {
    /** Runs `fn` in a later task; functions given in turn run in turn, one task each. */
    _later(fn: () => void): void {
      if (!channel) {
        channel = new MessageChannel()
        channel.port1.onmessage = () => waiting.shift()?.()
      }
      waiting.push(fn)
      channel.port2.postMessage(0)
    },
    /** Forgets what has not run yet (the client is stopped). */
    _stop(): void {
      waiting = []
      channel?.port1.close()
    },
  }
}

export type Tasks = ReturnType<typeof createTasks>
