import type { Report } from '../errors'
import type { Item, Queue } from './queue'
import {
  BACKOFF_BASE_MS, BACKOFF_CAP_MS, FALLBACK, KEEPALIVE, KEEPALIVE_BUDGET_BYTES, MAX_IN_FLIGHT, MAX_PLAIN_IN_FLIGHT, MIN_KEEPALIVE_BYTES, MIN_WAIT_MS, PLAIN,
} from './limits'
import { classify, endpoint, MAX_BEACON_BYTES, type Result, sendBeacon, sendFetch } from './transport'
import type { Transport } from '../types'

/** Where and how to send: the resolved options (`transport` unset is `'auto'`). */
export interface DeliveryOptions {
  _base: string
  publicKey: string
  transport?: Transport
}

/** What delivery is given to call: the same hooks the rest of the pipe gets. */
export interface DeliveryHooks {
  _report: Report
  _log: (line: string) => void
  /** runs what a timer or a response starts, reporting what it throws instead of raising it in the page */
  _guard: (fn: () => void) => void
  /** whether anything may be sent now: not while consent is withdrawn (back to pending) */
  _granted: () => boolean
}

/**
 * Moves queued messages to the backend: each one as soon as it is queued, with keepalive fetch
 * while the page's in-flight budget allows, so that even a tab closed right away delivers; at exit
 * what is still pending goes by sendBeacon. Failures back off with jitter, and after one only a
 * single probe is in flight, so an outage costs a handful of requests, not a storm.
 */
export function createDelivery(c: DeliveryOptions, q: Queue, h: DeliveryHooks) {
  /** sends under way, by message: delivery alone knows what is in flight */
  const busy = new Map<Item, number>()
  /** failed sends so far, in this page: the least-tried goes first as the probe after a failure */
  const tries = new WeakMap<Item, number>()
  /** the browser refused these as keepalive: they go without */
  const plain = new WeakSet<Item>()
  let inflight = 0
  let keepaliveBytes = 0
  let keepaliveBudget = KEEPALIVE_BUDGET_BYTES
  let failures = 0
  let retryAt = 0
  /**
   * The network is in doubt: the browser said offline, or the last send got no answer. Then one
   * probe at a time goes out with backoff, and nothing goes to a beacon. `navigator.onLine` is only a
   * hint (WebKitGTK in a network namespace reads false for a whole session while requests work), so
   * it delays delivery instead of stopping it; any HTTP answer ends the doubt.
   */
  let doubt = navigator.onLine === false
  /**
   * The page has been left (pagehide) and has not come back: its queue is the next page's now.
   * Nothing more is sent from here, whatever arrives after pagehide (an `online` event, a late
   * `visibilitychange`: WebKit fires it after pagehide, and so does Chromium on a reload).
   */
  let left = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let waiters: (() => void)[] = []

  /** A keepalive request says so (`via=keepalive`): the wire cannot tell it from a plain fetch otherwise. */
  const url = (item: Item, keepalive?: boolean) => endpoint(c._base, item._path, c.publicKey) + (keepalive ? '&via=keepalive' : '')
  const log = (item: Item, what: string) => h._log(item._path + ' ' + item._id + ' → ' + what)

  /** After a pump, nothing in flight means nothing more can be sent now: flush() may resolve. */
  const settle = () => {
    if (inflight) return
    waiters.forEach((w) => w())
    waiters = []
  }

  const done = (item: Item, r: Result, wave: number) => {
    const status = (r._status || 'network error') + (r._reason ? ' ' + r._reason : '')
    log(item, '' + status)
    const outcome = classify(r._status)
    if (outcome == 'retry') {
      tries.set(item, (tries.get(item) || 0) + 1)
      // the requests of one wave fail together: they are one failure, not twenty steps of backoff
      if (wave != failures) return
      if (!failures++) h._report('network', 'send failed (' + status + '), will retry', { status: r._status, messageId: item._id })
      doubt = !r._status
      // Retry-After is a floor: "Retry-After: 0" must not turn into a request every few milliseconds
      const backoff = Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (failures - 1))
      retryAt = Date.now() + Math.max(MIN_WAIT_MS, r._wait || 0, backoff)
      return
    }
    doubt = false
    if (outcome == 'drop') h._report('rejected', item._path + ' refused: ' + status, { status: r._status, messageId: item._id })
    else failures = retryAt = 0
    q._remove(item)
  }

  /**
   * `fallback`: the exit drain's last resort after a refused beacon. The budget that refused the
   * beacon most likely refuses it too, so it is not counted as handed over and stays stored.
   */
  const send = (item: Item, keepalive: boolean, fallback?: boolean) => {
    busy.set(item, fallback ? FALLBACK : keepalive ? KEEPALIVE : PLAIN)
    inflight++
    if (keepalive) keepaliveBytes += item._size
    const wave = failures
    void sendFetch(url(item, keepalive), item._body, keepalive).then((r) => h._guard(() => {
      // A page being left sees its keepalive fetches reject although the browser still sends them
      // (measured in Chromium), and possibly during another script's pagehide listener, before ours
      // said we are leaving: a rejection is judged one task later, which never comes for a page gone.
      if (keepalive && !r._status) setTimeout(() => h._guard(() => finish(item, r, keepalive, wave)))
      else finish(item, r, keepalive, wave)
    }))
  }

  const finish = (item: Item, r: Result, keepalive: boolean, wave: number) => {
    const handed = busy.get(item) == KEEPALIVE
    busy.delete(item)
    inflight--
    if (keepalive) {
      keepaliveBytes -= item._size
      // handed over like a beacon: not retried (the exit fallback was never counted as handed)
      if (left && !r._status) return handed ? q._remove(item) : undefined
      if (!r._status && !doubt && !plain.has(item)) {
        // most likely the browser's keepalive budget, not the network: shrink ours, retry it without
        keepaliveBudget = Math.max(MIN_KEEPALIVE_BYTES, keepaliveBudget / 2)
        log(item, 'keepalive refused')
        plain.add(item)
        return pump()
      }
      keepaliveBudget = Math.min(KEEPALIVE_BUDGET_BYTES, keepaliveBudget + 1024)
    }
    done(item, r, wave)
    pump()
  }

  const beacon = (item: Item) => {
    const ok = sendBeacon(url(item), item._body)
    log(item, 'beacon ' + (ok ? 'queued' : 'refused'))
    if (ok) q._remove(item)
    return ok
  }

  function pump() {
    clearTimeout(timer)
    const wait = retryAt - Date.now()
    if (left || !h._granted()) {
      // the next page sends what is stored; without consent nothing goes
    } else if (wait > 0) timer = setTimeout(() => h._guard(pump), wait)
    else {
      q._save()
      const probing = failures || doubt
      // a copy: beacons remove what they hand over while we walk. After a failure one probe at a
      // time, the least-tried message, so one that always fails cannot hold up the rest
      const order = probing ? [...q._items].sort((a, b) => (tries.get(a) || 0) - (tries.get(b) || 0)) : [...q._items]
      for (const item of order) {
        if (busy.has(item)) continue
        if (probing && inflight) break
        if (c.transport == 'beacon') {
          // a beacon says nothing of what became of it: no probing with beacons
          if (doubt || !beacon(item)) break
          continue
        }
        const keepalive = !plain.has(item) && keepaliveBytes + item._size <= keepaliveBudget
        if ((!keepalive && inflight >= MAX_PLAIN_IN_FLIGHT) || inflight >= MAX_IN_FLIGHT) break
        send(item, keepalive)
      }
    }
    settle()
  }

  return {
    _pump: pump,

    /**
     * The browser has taken this message over: a keepalive request in flight, which outlives the
     * page. Not during an outage: a probe in flight then most likely fails as the others did, and
     * the next page must send it again (a duplicate, if it got through, the backend drops).
     */
    _handed: (item: Item) => busy.get(item) == KEEPALIVE && !failures && !doubt,

    /** Stops the retry timer (the client is being stopped). */
    _stop: () => clearTimeout(timer),

    /** Try now, even inside a backoff; resolves when the queue is empty or nothing more can be sent now. */
    _flush(): Promise<void> {
      retryAt = 0
      return new Promise<void>((resolve) => {
        waiters.push(resolve)
        pump()
      })
    },

    /** The page is shown again (visible, or back from the back/forward cache). */
    _back: () => {
      left = false
    },

    /** The browser says the network is back: forget the backoff and probe at once. */
    _online() {
      retryAt = failures = 0
      // beacons cannot probe: for them the browser's word is all there is
      if (c.transport == 'beacon') doubt = false
      pump()
    },

    /** The browser says the network is gone: probe before sending more, beacon nothing. */
    _offline() {
      doubt = true
    },

    /**
     * The page is being hidden or left: hand what is still pending to sendBeacon within what is
     * left of the 64 KiB budget, falling back to keepalive fetch when the beacon is refused. Nothing
     * goes to a beacon while offline: the browser would say `true` and send nothing.
     */
    _exit(leaving?: boolean) {
      // drained once, at the first exit event; what comes after it finds the queue handed over
      if (left || !h._granted()) return
      // during an outage a beacon would be "accepted" and lost: keep the messages for the next page
      if (doubt || failures || c.transport == 'fetch') pump()
      else {
        let budget = MAX_BEACON_BYTES - keepaliveBytes
        for (const item of [...q._items]) {
          if (busy.has(item)) continue
          if (item._size > budget || !beacon(item)) {
            if (item._size <= budget) send(item, true, true)
            break
          }
          budget -= item._size
        }
      }
      left = !!leaving
    },
  }
}

export type Delivery = ReturnType<typeof createDelivery>
