import { nanoid } from 'nanoid';
import Cookies from 'js-cookie';

const ATTR = 'data-atrack-';
/** `data-atrack-*` attributes of an element, prefix removed, the event name left out. */
function declaredAttributes(el) {
    const out = {};
    for (const a of el.attributes) {
        if (a.name.startsWith(ATTR) && a.name != ATTR + 'event')
            out[a.name.slice(ATTR.length)] = a.value;
    }
    return out;
}
/**
 * One delegated click listener for `[data-atrack-event]` elements, including those added later,
 * and optionally for links to other sites. It listens in the capture phase so a handler that stops
 * propagation does not hide the click; it never prevents the default, so links still navigate
 * (their event is sent at once, and drained at page exit if still pending).
 */
function watchClicks(track, outbound) {
    const onClick = (e) => {
        const target = e.target;
        if (!target?.closest)
            return;
        const el = target.closest('[data-atrack-event]');
        if (el)
            track(el.getAttribute('data-atrack-event'), declaredAttributes(el));
        const link = outbound && target.closest('a[href]');
        if (link && /^https?:/.test(link.protocol) && link.hostname != location.hostname) {
            track('outbound_link_clicked', { url: link.href, host: link.hostname });
        }
    };
    const stop = new AbortController();
    document.addEventListener('click', onClick, { capture: true, signal: stop.signal });
    return () => stop.abort();
}

/** The one key kept after a refusal: the refusal itself. */
const REFUSAL_KEY = 'atrack_optout';
/** True when the visitor refused earlier (opt-out or denied consent), in the cookie or localStorage. */
function storedRefusal(stores) {
    return !!(stores.cookie?.get(REFUSAL_KEY) || stores.local.get(REFUSAL_KEY));
}
/** Do Not Track or Global Privacy Control (globalprivacycontrol.org) is on. */
function privacySignal() {
    const n = navigator;
    return n.globalPrivacyControl === true || n.doNotTrack == '1';
}
function saveRefusal(stores, refused) {
    for (const s of [stores.cookie, stores.local]) {
        if (refused)
            s?.set(REFUSAL_KEY, '1');
        else
            s?.remove(REFUSAL_KEY);
    }
}

const SDK_VERSION = '0.1.0';
const LIBRARY = { name: '@a-track/web', version: SDK_VERSION };
const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'];
/** Ad-platform click ids: Google, Microsoft, Meta, TikTok, X, LinkedIn, Yandex. */
const CLICK_IDS = ['gclid', 'gbraid', 'wbraid', 'dclid', 'msclkid', 'fbclid', 'ttclid', 'twclid', 'li_fat_id', 'yclid'];
const PAID_MEDIUM = /^(cpc|ppc|cpm|cpv|cpa|paid|display|banner|ads?)\b|paid/;
const EMAIL = /e-?mail|newsletter|^mail\.|outlook\.|webmail|android\.gm$/;
const SOCIAL = /social|facebook|^fb|instagram|^t\.co$|twitter|^x\.com$|linkedin|lnkd\.in|reddit|youtube|tiktok|pinterest|threads\.net|mastodon|bsky|quora|whatsapp|telegram/;
const SEARCH = /organic|google|bing|yahoo|duckduckgo|baidu|yandex|ecosia|qwant|naver|seznam|startpage|(^|\.)search\./;
/** UTM parameters and click ids of a query string; absent when the page has none. */
function parseCampaign(search) {
    const q = new URLSearchParams(search);
    /** The parameters `prefix + key` that have a value, by key; undefined when none has. */
    const pick = (keys, prefix = '') => {
        const found = {};
        for (const k of keys)
            if (q.get(prefix + k))
                found[k] = q.get(prefix + k);
        return Object.keys(found).length ? found : undefined;
    };
    return { utm: pick(UTM_KEYS, 'utm_'), clickIds: pick(CLICK_IDS) };
}
/**
 * The registrable part of a host: the last two labels, or three under a country code's generic
 * second level (`co.uk`, `com.au`, `ac.jp`…), without shipping a public-suffix list.
 *
 * @example siteOf('shop.example.co.uk') // 'example.co.uk'; siteOf('shop.bmw.de') // 'bmw.de'
 */
function siteOf(host) {
    const parts = host.split('.');
    const n = parts.length > 2 && parts[parts.length - 1].length == 2 && /^(com?|net|org|gov|edu|ac|or|ne|go|gv|ltd|plc|nic|mil)$/.test(parts[parts.length - 2]) ? 3 : 2;
    return parts.slice(-n).join('.');
}
/**
 * Traffic-source class of a visit: click ids and a paid medium mean `paid`; then the UTM medium or
 * source, then the referrer host, decide between email, social and search; any other outside
 * referrer is `referral`, the same site (subdomains included) `internal`, nothing at all `direct`.
 *
 * @example classifySource('www.google.com', 'example.com', {}) // 'search'
 */
function classifySource(refHost, siteHost, campaign) {
    const { utm = {}, clickIds } = campaign;
    const medium = (utm.medium || '').toLowerCase();
    const source = (utm.source || '').toLowerCase();
    if (clickIds || PAID_MEDIUM.test(medium))
        return 'paid';
    if (refHost && siteHost && siteOf(refHost) == siteOf(siteHost) && !source)
        return 'internal';
    for (const name of [medium, source, refHost || '']) {
        if (EMAIL.test(name))
            return 'email';
        if (SOCIAL.test(name))
            return 'social';
        if (SEARCH.test(name))
            return 'search';
    }
    return refHost || source ? 'referral' : 'direct';
}
/** The host of a URL; undefined when there is none or it does not parse. */
function hostOf(url) {
    try {
        return url ? new URL(url).hostname : undefined;
    }
    catch {
        return undefined;
    }
}
/** Where the visitor came from: `{ url, host, type }`, the type being the traffic-source class. */
function referrerOf(referrer, pageUrl, campaign) {
    const host = hostOf(referrer);
    return { url: referrer || undefined, host, type: classifySource(host, hostOf(pageUrl), campaign) };
}
/** The page as seen now: `{ url, path, title, referrer }`. */
function pageInfo(referrer = document.referrer) {
    return { url: location.href, path: location.pathname, title: document.title || undefined, referrer: referrer || undefined };
}
/**
 * The page's part of the context (page, campaign, referrer), computed once per URL, title and
 * referrer rather than per track(). Each call returns copies, so a beforeSend that edits one
 * message in place leaves the others alone.
 */
function createPageContext() {
    let key;
    let cached = {};
    return (pageRef) => {
        const k = location.href + ' ' + document.title + ' ' + pageRef;
        if (k != key) {
            const campaign = parseCampaign(location.search);
            key = k;
            cached = { page: pageInfo(pageRef), ...campaign, referrer: referrerOf(document.referrer, location.href, campaign) };
        }
        const copy = {};
        for (const name in cached)
            if (cached[name])
                copy[name] = { ...cached[name] };
        return copy;
    };
}
/** Parts of the context that do not change during a page's life, read once. */
function staticContext() {
    const n = navigator;
    let timezone;
    try {
        timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    }
    catch {
        // very old engines: the backend can fall back to the IP
    }
    return {
        locale: n.language || undefined,
        timezone,
        screen: { width: screen.width, height: screen.height, density: devicePixelRatio },
        userAgent: n.userAgent,
        library: LIBRARY,
        isBot: isBot() || undefined,
    };
}
/** Automated browsers say so (`navigator.webdriver`), headless ones in their user agent. */
function isBot() {
    return !!navigator.webdriver || /headless|bot\b|crawl|spider|lighthouse|phantom/i.test(navigator.userAgent);
}
/**
 * The `InitPayload` a browser would capture by itself, built from request data on a server or at
 * the edge (the Rust SDK's `build_rust_init_payload`). Runs in plain Node: no DOM.
 *
 * @example
 * const payload = buildInitPayload({ url: req.url, referer: req.headers.referer, locale: req.headers['accept-language'] })
 * await atrack.init(payload)
 */
function buildInitPayload(input) {
    const i = input || {};
    let url;
    try {
        url = i.url ? new URL(i.url, 'http://relative.invalid') : undefined;
    }
    catch {
        // an unparsable url still travels as given
    }
    const absolute = url && url.hostname != 'relative.invalid' ? url.href : undefined;
    const campaign = url ? parseCampaign(url.search) : {};
    const context = {
        page: i.url ? { url: absolute || i.url, path: url?.pathname, referrer: i.referer } : undefined,
        ...campaign,
        referrer: referrerOf(i.referer, absolute, campaign),
        locale: i.locale?.split(/[,;]/)[0].trim() || undefined,
        timezone: i.timezone,
        userAgent: i.userAgent,
        ip: i.ipAddress,
        library: LIBRARY,
    };
    return { user: { uuid: i.uuid, attributes: i.userAttributes }, context: JSON.parse(JSON.stringify(context)) };
}

/**
 * The two ways a message leaves the page. Only `fetch` tells what happened; `sendBeacon`'s `true`
 * means "queued by the browser", so beacons are for page exit (see shared/platform-facts.md).
 */
/** sendBeacon and keepalive fetch share 64 KiB of in-flight body per page (Fetch spec, "keepalive"). */
const MAX_BEACON_BYTES = 64 * 1024;
/** The backend's limit for one message, as Segment's 32 KB per call. */
const MAX_MESSAGE_BYTES = 32 * 1024;
/** Retry 5xx, 408 and 429 and network errors (status 0); other 4xx are permanent. */
function classify(status) {
    if (status >= 200 && status < 300)
        return 'ok';
    return !status || status >= 500 || status == 408 || status == 429 ? 'retry' : 'drop';
}
/** `Retry-After` as seconds or an HTTP date, in ms; undefined when absent or unparsable. */
function retryAfter(header, now = Date.now()) {
    if (!header)
        return undefined;
    const ms = /^\d+$/.test(header.trim()) ? +header * 1000 : Date.parse(header) - now;
    return ms >= 0 ? ms : undefined;
}
/**
 * POSTs one message with the key in `x-a-track-key`. Never rejects: a network error is status 0.
 * The response body is cancelled at once, because a keepalive request holds the page's 64 KiB
 * budget until its body is consumed.
 */
async function sendFetch(url, key, body, keepalive) {
    try {
        const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-a-track-key': key },
            body,
            keepalive,
            credentials: 'omit',
        });
        res.body?.cancel().catch(() => undefined);
        return { _outcome: classify(res.status), _status: res.status, _wait: retryAfter(res.headers.get('retry-after')) };
    }
    catch {
        return { _outcome: 'retry', _status: 0 };
    }
}
/**
 * Hands one message to `sendBeacon`: JSON text as `text/plain;charset=UTF-8`, which needs no CORS
 * preflight (a JSON Blob would, and is lost when the preflight is not answered with credentials),
 * and the key in the query string because beacons cannot carry headers.
 */
function sendBeacon(url, key, body) {
    try {
        return navigator.sendBeacon(url + '?key=' + encodeURIComponent(key), new Blob([body], { type: 'text/plain;charset=UTF-8' }));
    }
    catch {
        return false;
    }
}
/** UTF-8 length of a string: what the 64 KiB and 32 KB limits count. */
function utf8Bytes(s) {
    let n = s.length;
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        // surrogate halves are 2 bytes each of a 4-byte sequence; the rest of non-ASCII is 1 or 2 more
        if (c > 0x7f)
            n += c > 0x7ff && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
    }
    return n;
}

/**
 * Keepalive fetches may hold this much body in flight: well under the page's 64 KiB shared with
 * beacons, so the exit drain and the page's own keepalive requests still have room.
 */
const KEEPALIVE_BUDGET_BYTES = 48 * 1024;
/**
 * Chromium frees its keepalive budget some time after the response has resolved, so a long burst
 * can be refused ("Failed to fetch", nothing sent) while our own count is under budget (measured by
 * `npm run bench`: up to 76 of 500). A refusal halves our budget down to this; successes grow it back.
 */
const MIN_KEEPALIVE_BYTES = 8 * 1024;
/** Requests without keepalive (over the budget) in flight at once, to leave the page its connections. */
const MAX_PLAIN_IN_FLIGHT = 2;
/** Full-jitter exponential backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"). */
const BACKOFF_BASE_MS = 1000;
const BACKOFF_CAP_MS = 60000;
const MIN_WAIT_MS = 100;
/**
 * Moves queued messages to the backend: each one as soon as it is queued, with keepalive fetch
 * while the page's in-flight budget allows, so that even a tab closed right away delivers; at exit
 * what is still pending goes by sendBeacon. Failures back off with jitter, and after one only a
 * single probe is in flight, so an outage costs a handful of requests, not a storm.
 */
function createDelivery(c) {
    const q = c._queue;
    let inflight = 0;
    let keepaliveBytes = 0;
    let keepaliveBudget = KEEPALIVE_BUDGET_BYTES;
    let failures = 0;
    let retryAt = 0;
    /**
     * The network is in doubt: the browser said offline, or the last send got no answer. Then one
     * probe at a time goes out with backoff, and nothing goes to a beacon. `navigator.onLine` is only a
     * hint (WebKitGTK in a network namespace reads false for a whole session while requests work), so
     * it delays delivery instead of stopping it; any HTTP answer ends the doubt.
     */
    let doubt = navigator.onLine === false;
    /**
     * The page has been left (pagehide) and has not come back: its queue is the next page's now.
     * Nothing more is sent from here, whatever arrives after pagehide (an `online` event, a late
     * `visibilitychange`: WebKit fires it after pagehide, and so does Chromium on a reload).
     */
    let left = false;
    let timer;
    let waiters = [];
    const url = (item) => c._base + item._path;
    const log = (item, what) => c._log(item._path + ' ' + item._id + ' → ' + what);
    /** After a pump, nothing in flight means nothing more can be sent now: flush() may resolve. */
    const settle = () => {
        if (inflight)
            return;
        waiters.forEach((w) => w());
        waiters = [];
    };
    const done = (item, r, how, wave) => {
        const status = r._status || 'network error';
        log(item, status + ' (' + how + ')');
        if (r._outcome == 'retry') {
            item._tries = (item._tries || 0) + 1;
            // the requests of one wave fail together: they are one failure, not twenty steps of backoff
            if (wave != failures)
                return;
            if (!failures++)
                c._report('network', 'send failed (' + status + '), will retry', { status: r._status, messageId: item._id });
            doubt = !r._status;
            // Retry-After is a floor: "Retry-After: 0" must not turn into a request every few milliseconds
            const backoff = Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (failures - 1));
            retryAt = Date.now() + Math.max(MIN_WAIT_MS, r._wait || 0, backoff);
            return;
        }
        doubt = false;
        if (r._outcome == 'drop')
            c._report('rejected', 'the backend refused ' + item._path + ' with ' + r._status, { status: r._status, messageId: item._id });
        else
            failures = retryAt = 0;
        q._remove(item);
    };
    /**
     * `fallback`: the exit drain's last resort after a refused beacon. The budget that refused the
     * beacon most likely refuses it too, so it is not counted as handed over and stays stored.
     */
    const send = (item, keepalive, fallback) => {
        item._busy = fallback ? 3 : keepalive ? 2 : 1;
        inflight++;
        if (keepalive)
            keepaliveBytes += item._size;
        const wave = failures;
        sendFetch(url(item), c._key, item._body, keepalive).then((r) => {
            // A page being left sees its keepalive fetches reject although the browser still sends them
            // (measured in Chromium), and possibly during another script's pagehide listener, before ours
            // said we are leaving: a rejection is judged one task later, which never comes for a page gone.
            if (keepalive && !r._status)
                setTimeout(() => finish(item, r, keepalive, wave));
            else
                finish(item, r, keepalive, wave);
        });
    };
    const finish = (item, r, keepalive, wave) => {
        const handed = item._busy == 2;
        item._busy = 0;
        inflight--;
        if (keepalive) {
            keepaliveBytes -= item._size;
            // handed over like a beacon: not retried (the exit fallback was never counted as handed)
            if (left && !r._status)
                return handed ? q._remove(item) : undefined;
            if (!r._status && !doubt && !item._plain) {
                // most likely the browser's keepalive budget, not the network: shrink ours, retry it without
                keepaliveBudget = Math.max(MIN_KEEPALIVE_BYTES, keepaliveBudget / 2);
                log(item, 'keepalive refused, retrying without');
                item._plain = true;
                return pump();
            }
            keepaliveBudget = Math.min(KEEPALIVE_BUDGET_BYTES, keepaliveBudget + 1024);
        }
        done(item, r, keepalive ? 'keepalive fetch' : 'fetch', wave);
        pump();
    };
    const beacon = (item) => {
        const ok = sendBeacon(url(item), c._key, item._body);
        log(item, 'beacon ' + (ok ? 'queued' : 'refused'));
        if (ok)
            q._remove(item);
        return ok;
    };
    function pump() {
        clearTimeout(timer);
        const wait = retryAt - Date.now();
        if (left) ;
        else if (wait > 0)
            timer = setTimeout(pump, wait);
        else {
            q._save();
            const probing = failures || doubt;
            // a copy: beacons remove what they hand over while we walk. After a failure one probe at a
            // time, the least-tried message, so one that always fails cannot hold up the rest
            const order = probing ? [...q._items].sort((a, b) => (a._tries || 0) - (b._tries || 0)) : [...q._items];
            for (const item of order) {
                if (item._busy)
                    continue;
                if (probing && inflight)
                    break;
                if (c._transport == 'beacon') {
                    // a beacon says nothing of what became of it: no probing with beacons
                    if (doubt || !beacon(item))
                        break;
                    continue;
                }
                const keepalive = !item._plain && keepaliveBytes + item._size <= keepaliveBudget;
                if (!keepalive && inflight >= MAX_PLAIN_IN_FLIGHT)
                    break;
                send(item, keepalive);
            }
        }
        settle();
    }
    return {
        _pump: pump,
        /** Stops the retry timer (the client is being stopped). */
        _stop: () => clearTimeout(timer),
        /** Try now, even inside a backoff; resolves when the queue is empty or nothing more can be sent now. */
        _flush() {
            retryAt = 0;
            return new Promise((resolve) => {
                waiters.push(resolve);
                pump();
            });
        },
        /** The page is shown again (visible, or back from the back/forward cache). */
        _back: () => {
            left = false;
        },
        /** The browser says the network is back: forget the backoff and probe at once. */
        _online() {
            retryAt = failures = 0;
            // beacons cannot probe: for them the browser's word is all there is
            if (c._transport == 'beacon')
                doubt = false;
            pump();
        },
        /** The browser says the network is gone: probe before sending more, beacon nothing. */
        _offline() {
            doubt = true;
        },
        /**
         * The page is being hidden or left: hand what is still pending to sendBeacon within what is
         * left of the 64 KiB budget, falling back to keepalive fetch when the beacon is refused. Nothing
         * goes to a beacon while offline: the browser would say `true` and send nothing.
         */
        _exit(leaving) {
            // drained once, at the first exit event; what comes after it finds the queue handed over
            if (left)
                return;
            // during an outage a beacon would be "accepted" and lost: keep the messages for the next page
            if (doubt || failures || c._transport == 'fetch')
                pump();
            else {
                let budget = MAX_BEACON_BYTES - keepaliveBytes;
                for (const item of [...q._items]) {
                    if (item._busy)
                        continue;
                    if (item._size > budget || !beacon(item)) {
                        if (item._size <= budget)
                            send(item, true, true);
                        break;
                    }
                    budget -= item._size;
                }
            }
            left = !!leaving;
        },
    };
}

/**
 * Builds the reporter every module gets. A faulty `onError` handler is itself caught: the SDK must
 * never throw into the page, whatever the page gave it.
 */
function createReporter(onError, debug) {
    return (code, message, extra) => {
        const error = Object.assign(new Error('[atrack] ' + message), { name: 'ATrackError', code }, extra);
        try {
            onError?.(error);
        }
        catch {
            // the page's handler failed; nothing more we can do without throwing
        }
        if (debug)
            console.warn(error.message, extra || '');
    };
}
/** Wraps a reporter so that each code is reported once, e.g. a storage failure on every write. */
function once(report) {
    const seen = {};
    return (code, message, extra) => {
        if (seen[code])
            return;
        seen[code] = 1;
        report(code, message, extra);
    };
}

/** Every key the SDK writes starts with this, so a refusal can remove them all. */
const PREFIX = 'atrack_';
/** Cookies are capped at 400 days by Chromium and Firefox (RFC 6265bis); asking for more is ignored. */
const COOKIE_DAYS = 400;
function memoryStore() {
    const map = new Map();
    return {
        get: (k) => map.get(k) ?? null,
        set: (k, v) => !!map.set(k, v),
        remove: (k) => void map.delete(k),
        keys: (prefix) => [...map.keys()].filter((k) => k.startsWith(prefix)),
    };
}
/**
 * Wraps a storage so it never throws. On the first failure (disabled storage, SecurityError,
 * QuotaExceededError) it reports once and the value is kept in memory, so reads in this page
 * still see it.
 */
function safeStore(adapter, report, what) {
    const memory = memoryStore();
    const attempt = (run, fallback) => {
        try {
            return run();
        }
        catch (e) {
            report('storage', what + ' failed, using memory: ' + e, { cause: e });
            return fallback();
        }
    };
    return {
        get: (k) => attempt(() => memory.get(k) ?? adapter.get(k) ?? null, () => memory.get(k)),
        set: (k, v) => attempt(() => (adapter.set(k, v), memory.remove(k), true), () => (memory.set(k, v), false)),
        remove: (k) => {
            memory.remove(k);
            attempt(() => adapter.remove(k), () => undefined);
        },
    };
}
/** localStorage behind `safeStore`, with key listing. Accessing `window.localStorage` itself can throw. */
function localStore(report) {
    const ls = () => window.localStorage;
    const store = safeStore({ get: (k) => ls().getItem(k), set: (k, v) => ls().setItem(k, v), remove: (k) => ls().removeItem(k) }, report, 'localStorage');
    store.keys = (prefix) => {
        try {
            // a Storage's own enumerable properties are its keys, in key(i) order (HTML, "supported property
            // names"); only keys named like a Storage member (`length`, `getItem`…) are hidden, never ours
            return Object.keys(ls()).filter((k) => k.startsWith(prefix));
        }
        catch {
            return [];
        }
    };
    return store;
}
/**
 * A first-party cookie store. Browsers reject cookies silently (a `Secure` cookie on plain http,
 * cookies disabled, over 4 KB), so every write is read back to know whether it took.
 */
function cookieStore(domain, report) {
    const attrs = () => {
        if (domain === undefined)
            domain = widestCookieDomain(location.hostname) || false;
        return { expires: COOKIE_DAYS, path: '/', sameSite: 'Lax', secure: location.protocol == 'https:', domain: domain || undefined };
    };
    // document.cookie itself throws SecurityError in sandboxed frames: safeStore catches and reports
    return safeStore({
        get: (k) => Cookies.get(k),
        set: (k, v) => {
            Cookies.set(k, v, attrs());
            if (Cookies.get(k) !== v)
                throw new Error('cookie "' + k + '" refused');
        },
        remove: (k) => Cookies.remove(k, attrs()),
    }, report, 'cookie');
}
/**
 * The widest domain of `hostname` that accepts a cookie, so www. and app. share one uuid. Found by
 * writing a probe cookie from the shortest candidate up, the way Google Analytics' "auto" domain
 * works, without shipping a public-suffix list: the browser refuses `co.uk`, accepts `example.co.uk`.
 *
 * @example widestCookieDomain('app.example.co.uk') // 'example.co.uk'
 */
function widestCookieDomain(hostname) {
    const parts = hostname.split('.');
    // localhost and IP addresses take host-only cookies
    if (parts.length < 2 || /^[\d.]+$|:/.test(hostname))
        return undefined;
    const probe = PREFIX + 'probe';
    for (let i = parts.length - 2; i >= 0; i--) {
        const domain = parts.slice(i).join('.');
        Cookies.set(probe, '1', { domain, path: '/', sameSite: 'Lax' });
        if (Cookies.get(probe)) {
            Cookies.remove(probe, { domain, path: '/' });
            return domain;
        }
    }
    return undefined;
}
/**
 * Builds the stores for a `storage` option. Storage the browser refuses degrades to memory with a
 * single report: analytics keeps working, it just forgets sooner.
 */
function createStores(kind, cookieDomain, report) {
    if (kind && typeof kind == 'object')
        return { local: safeStore(kind, report, 'storage adapter') };
    const hasDom = typeof document != 'undefined';
    const cookie = hasDom && (!kind || kind.includes('cookie')) ? cookieStore(cookieDomain, report) : undefined;
    const durable = hasDom && (!kind || kind.includes('localStorage'));
    return { cookie, local: durable ? localStore(report) : memoryStore(), durable };
}
/** Removes every key the SDK wrote, from every store, but the refusal itself: the answer to a refusal of consent. */
function clearAll(stores, keys) {
    for (const k of [...keys, ...(stores.local.keys?.(PREFIX) || [])]) {
        if (k == PREFIX + 'optout')
            continue;
        stores.local.remove(k);
        stores.cookie?.remove(k);
    }
}
/** A stored JSON value; undefined when absent, null or corrupt (corrupt state is not worth an error). */
function readJSON(store, key) {
    try {
        return JSON.parse(store.get(key) || 'null') || undefined;
    }
    catch {
        return undefined;
    }
}
/** Where small shared state (the session) lives: localStorage, or the cookie when that is all there is. */
function smallStore(stores) {
    return stores.cookie && !stores.durable ? stores.cookie : stores.local;
}

const UID_KEY = 'atrack_uid';
const USER_KEY = 'atrack_user';
/**
 * An RFC 4122 version 4 uuid. `crypto.randomUUID` exists only in secure contexts, so plain-http
 * sites get one built from `getRandomValues` (available everywhere).
 *
 * @example uuidv4() // '0d54c6e2-…-4…'
 */
function uuidv4() {
    if (crypto.randomUUID)
        return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // variant 10xx
    const hex = [...b].map((x) => (x + 256).toString(16).slice(1)).join('');
    return hex.replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
}
/**
 * Restores the visitor from storage, or creates one. The cookie wins over localStorage when they
 * disagree (it is the one shared across subdomains), and either restores the other.
 */
function loadIdentity(stores, supplied, fallback) {
    const fromCookie = stores.cookie?.get(UID_KEY);
    const fromLocal = stores.local.get(UID_KEY);
    const stored = fromCookie || fromLocal;
    const uuid = supplied || stored || fallback || uuidv4();
    let attributes = {};
    // attributes stored beside another uuid are that visitor's, not this one's
    if (uuid == stored && (!fromLocal || fromLocal == uuid)) {
        // corrupt attributes are not worth an error: the backend has them
        const parsed = readJSON(stores.local, USER_KEY);
        if (typeof parsed == 'object' && !Array.isArray(parsed))
            attributes = parsed;
    }
    const identity = { uuid, attributes, isNewUser: !supplied && !stored };
    if (fromCookie != uuid || fromLocal != uuid)
        saveIdentity(stores, identity);
    return identity;
}
/** Persists the uuid (cookie and localStorage) and the attributes (localStorage only: cookies are small). */
function saveIdentity(stores, user) {
    stores.cookie?.set(UID_KEY, user.uuid);
    stores.local.set(UID_KEY, user.uuid);
    stores.local.set(USER_KEY, JSON.stringify(user.attributes));
}

/**
 * From built messages to queue items, once per task, off the page's handler: the burst cap,
 * `beforeSend`, serialising once, the 32 KB limit in UTF-8 bytes. Every message left out is
 * reported, except those `beforeSend` dropped on purpose (`null`).
 *
 * @example prepare([['/event', message]], { _maxMessages: 1000 }, report, log, Date.now()) // [{ _path: '/event', _body: '{…}', … }]
 */
function prepare(batch, c, report, log, now) {
    const items = [];
    // a burst over the queue cap would push out its own oldest messages: skip serialising them
    const over = batch.length - c._maxMessages;
    if (over > 0)
        report('queue_full', over + ' queued message(s) dropped: over the queue cap', { count: over });
    for (const [path, original] of over > 0 ? batch.slice(over) : batch) {
        let message = original;
        let body;
        try {
            message = c.beforeSend ? c.beforeSend(original) : original;
            if (message === null)
                continue;
            // a hook that forgot to return, a filter returning true, an async one: mistakes to report
            if (typeof message?.messageId != 'string')
                throw 'beforeSend must return the message or null';
            body = JSON.stringify(message);
        }
        catch (e) {
            report('invalid_argument', 'message dropped: ' + e, { messageId: original.messageId });
            continue;
        }
        const size = utf8Bytes(body);
        if (size > MAX_MESSAGE_BYTES) {
            report('oversize', path + ' of ' + size + ' bytes refused: the limit is ' + MAX_MESSAGE_BYTES, { messageId: message.messageId });
            continue;
        }
        items.push({ _path: path, _body: body, _id: message.messageId, _t: now, _size: size });
        log('queued ' + path + ' ' + body);
    }
    return items;
}

/**
 * Listens for page exit without an `unload` listener, which would disable the back/forward cache
 * (web.dev/articles/bfcache). `visibilitychange` → hidden is the last event that fires reliably on
 * mobile; `pagehide` covers navigations that do not hide first. Returns a function that stops.
 */
function watchLifecycle(h) {
    const stop = new AbortController();
    const o = { signal: stop.signal };
    document.addEventListener('visibilitychange', () => (document.visibilityState == 'hidden' ? h._hidden(false) : h._shown(false)), o);
    addEventListener('pagehide', () => h._hidden(true), o);
    addEventListener('pageshow', (e) => e.persisted && h._shown(true), o);
    addEventListener('online', () => h._online(), o);
    addEventListener('offline', () => h._offline(), o);
    return () => stop.abort();
}

/** The A-Track API when neither `geo` nor `apiHost` is set. */
const DEFAULT_API_HOST = 'https://api.a-track.io';
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
function fail(message) {
    throw new TypeError('[atrack] ' + message);
}
/**
 * Validates options and fills in defaults. Throws a TypeError naming the bad option: this is the
 * only place the SDK throws, at construction, where a developer sees it.
 *
 * @example resolveOptions({ publicKey: 'pub_xxx', geo: 'fra' })._base // 'https://fra.api.a-track.io'
 */
function resolveOptions(options) {
    const o = (options || {});
    if (typeof o.publicKey != 'string' || !o.publicKey.trim()) {
        fail('`publicKey` is required ("pub_…")');
    }
    if (o.geo != null && (typeof o.geo != 'string' || !DNS_LABEL.test(o.geo))) {
        fail('`geo` must be a DNS label like "fra", got ' + JSON.stringify(o.geo));
    }
    oneOf(o, 'transport', ['auto', 'beacon', 'fetch']);
    oneOf(o, 'consent', ['granted', 'pending', 'denied']);
    const s = o.storage;
    if (typeof s != 'object')
        oneOf(o, 'storage', ['cookie+localStorage', 'localStorage', 'cookie', 'memory']);
    if (s && typeof s == 'object' && !['get', 'set', 'remove'].every((m) => typeof s[m] == 'function')) {
        fail('`storage` needs get, set and remove methods');
    }
    let base = o.geo ? 'https://' + o.geo.toLowerCase() + '.api.a-track.io' : DEFAULT_API_HOST;
    if (o.apiHost != null) {
        let url;
        try {
            url = new URL(o.apiHost);
        }
        catch {
            // reported below
        }
        if (!url || !/^https?:$/.test(url.protocol)) {
            fail('`apiHost` must be an http(s) URL, got ' + JSON.stringify(o.apiHost));
        }
        base = (url.origin + url.pathname).replace(/\/+$/, '');
    }
    return {
        ...o,
        _base: base,
        _timeoutMs: positive(o, 'sessionTimeout', 30) * 60000,
        _maxMessages: positive(o, 'maxQueueMessages', 1000),
        _maxBytes: positive(o, 'maxQueueBytes', 1000000),
        _maxAgeMs: positive(o, 'maxQueueAge', 168) * 3600000,
    };
}
/** Option `name` of `o`, when set, is one of `allowed`. */
function oneOf(o, name, allowed) {
    const value = o[name];
    if (value != null && !allowed.includes(value)) {
        fail('`' + name + '` must be one of ' + allowed.join(', ') + ', got ' + JSON.stringify(value));
    }
}
/** Option `name` of `o`: a positive number, or `fallback` when unset. */
function positive(o, name, fallback) {
    const value = o[name];
    if (value == null)
        return fallback;
    if (typeof value != 'number' || !(value > 0))
        fail('`' + name + '` must be a positive number');
    return value;
}

/** Dispatched on window after `history.pushState`/`replaceState`, by the one wrapper per window. */
const NAVIGATE = 'atrack:navigate';
/** Marks wrapped history methods. Not `_`-prefixed: the minifier must not rename it, or two bundles would wrap twice. */
const WRAPPED = 'atrackWrapped';
function wrapHistory() {
    for (const name of ['pushState', 'replaceState']) {
        const original = history[name];
        if (original[WRAPPED])
            continue;
        const wrapped = function (...args) {
            const result = original.apply(this, args);
            dispatchEvent(new Event(NAVIGATE));
            return result;
        };
        wrapped[WRAPPED] = 1;
        history[name] = wrapped;
    }
}
/** The part of the URL whose change is a new page: the path, and the hash for hash routers. */
function routeOf(hashRouting) {
    return location.pathname + (hashRouting ? location.hash : '');
}
/**
 * Calls `onPage` for the first page and for every SPA navigation that changes the route
 * (pushState, replaceState to a new path, popstate; hash changes only with `hashRouting`).
 * (A prerendered page is handled by `init()`, which waits until it is shown.) History is wrapped once per window, whatever the
 * number of clients or bundles; each client keeps its own last route, so none counts twice.
 */
function watchPageviews(onPage, hashRouting) {
    let last;
    const check = () => {
        const route = routeOf(hashRouting);
        if (route != last) {
            last = route;
            onPage();
        }
    };
    wrapHistory();
    const stop = new AbortController();
    for (const e of [NAVIGATE, 'popstate', ...(hashRouting ? ['hashchange'] : [])])
        addEventListener(e, check, { signal: stop.signal });
    check();
    return () => stop.abort();
}

/** How long a localStorage lease holds when its tab dies inside it. */
const LEASE_MS = 5000;
/** Time for another tab's competing lease write to reach this one (the storage event takes 2–9 ms). */
const SETTLE_MS = 50;
/**
 * Runs `fn` while no other tab of the site runs a function under the same name. Web Locks where
 * the page has them; they are undefined on plain-http sites (not a secure context), where a
 * localStorage lease with expiry stands in: write, wait for writes of other tabs to settle,
 * read back, and go on only if the lease is still ours. Skips (resolves false) when busy.
 */
async function withLock(name, store, owner, fn) {
    const locks = typeof navigator != 'undefined' && navigator.locks;
    if (locks)
        return locks.request(name, { ifAvailable: true }, (lock) => !!lock && (fn(), true));
    const key = name + '_lease';
    const held = (store.get(key) || '').split(' ');
    if (held[0] != owner && +held[1] > Date.now())
        return false;
    const mine = owner + ' ' + (Date.now() + LEASE_MS);
    store.set(key, mine);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    if (store.get(key) != mine)
        return false;
    try {
        fn();
    }
    finally {
        store.remove(key);
    }
    return true;
}

/** Versioned prefix of the per-tab queue keys: `atrack_q1_<tabId>`. */
const QUEUE_PREFIX = 'atrack_q1_';
/** Web Lock held by each live tab: `atrack_tab_<tabId>`. */
const LOCK_PREFIX = 'atrack_tab_';
/**
 * Without Web Locks, a queue whose tab wrote nothing for this long is taken to be dead (timers of
 * hidden tabs may run once a minute: Chrome's intensive throttling).
 */
const STALE_MS = 90000;
/** With Web Locks a tab's lock tells whether it lives; this covers the moment before it is granted. */
const UNLOCKED_MS = 2000;
/** Live tabs with pending messages rewrite their key this often, proving they are alive. */
const HEARTBEAT_MS = 20000;
/** Removals are persisted lazily: a message re-sent after a crash is a duplicate the backend drops. */
const REMOVE_WRITE_MS = 500;
/**
 * While nothing can be sent (offline, backing off) additions are written at most once a second:
 * rewriting a 1,000-message queue costs 1.3–1.8 ms (platform-facts), too much for every click.
 * Page exit writes at once.
 */
const IDLE_WRITE_MS = 1000;
/** Below this a queue is written at once whatever the network does, so a crash loses nothing. */
const SMALL_QUEUE_BYTES = 32 * 1024;
/**
 * The persisted queue of one tab. Each tab writes only its own key, so tabs never overwrite each
 * other's messages and never send the same message twice; a queue left by a closed, reloaded or
 * crashed tab is adopted by exactly one live tab under a lock.
 */
function createQueue(store, tabId, limits, report) {
    const key = QUEUE_PREFIX + tabId;
    const items = [];
    let bytes = 0;
    let timer;
    let dueAt = 0;
    /** additions not yet written: a send must not leave before they are */
    let unsaved = false;
    let written = false;
    let hidden = false;
    let release;
    const locks = typeof navigator != 'undefined' ? navigator.locks : undefined;
    /**
     * Holds a Web Lock named after the tab while it lives, so other tabs know its queue is not an
     * orphan; the browser releases it when the tab dies. Released at pagehide, because a held lock
     * keeps the page out of the back/forward cache (WPT web-locks/bfcache/held).
     */
    const hold = () => {
        hidden = false;
        if (store && locks && !release) {
            locks.request(LOCK_PREFIX + tabId, () => (hidden ? undefined : new Promise((r) => (release = r)))).catch(() => undefined);
        }
    };
    hold();
    const drop = (code, removed, why) => {
        if (!removed.length)
            return;
        removed.forEach((i) => (bytes -= i._size));
        report(code, removed.length + ' queued message(s) dropped: ' + why, { count: removed.length, messageId: removed[0]._id });
    };
    const enforce = (now) => {
        const old = items.findIndex((i) => now - i._t <= limits._maxAgeMs);
        drop('expired', items.splice(0, old < 0 ? items.length : old), 'older than maxQueueAge');
        let n = 0;
        for (let b = bytes; n < items.length && (items.length - n > limits._maxMessages || b > limits._maxBytes); n++)
            b -= items[n]._size;
        drop('queue_full', items.splice(0, n), 'over the queue cap');
    };
    /**
     * The stored form. Leaving the page, a message whose keepalive request is in flight is left out:
     * the browser finishes that request after the page is gone, as it does an accepted beacon, so
     * the next page must not send it again.
     */
    const serialise = () => '{"h":' + Date.now() + (hidden ? ',"x":1' : '') + ',"q":[' +
        items.filter((i) => !(hidden && i._busy == 2)).map((i) => '{"p":"' + i._path + '","t":' + i._t + ',"b":' + i._body + '}').join(',') +
        ']}';
    /** Writes within `ms`, keeping an earlier write already planned. */
    const later = (ms) => {
        if (timer && dueAt <= Date.now() + ms)
            return;
        clearTimeout(timer);
        dueAt = Date.now() + ms;
        timer = setTimeout(queue._persist, ms);
    };
    const parse = (raw) => {
        const s = JSON.parse(raw || '{"q":[]}');
        return s.q.map((m) => {
            const body = JSON.stringify(m.b);
            return { _path: m.p, _t: m.t, _body: body, _size: utf8Bytes(body), _id: m.b.messageId };
        });
    };
    const queue = {
        _items: items,
        /** Adds messages; `_persist()` before sending them, or they are written within a second. */
        _add(added, now) {
            for (const i of added) {
                // adopted messages can be older than ours: keep the queue in time order for the caps
                if (items.length && i._t < items[items.length - 1]._t)
                    items.splice(items.findIndex((j) => j._t > i._t), 0, i);
                else
                    items.push(i);
                bytes += i._size;
            }
            enforce(now);
            unsaved = true;
            later(IDLE_WRITE_MS);
        },
        _remove(item) {
            const at = items.indexOf(item);
            if (at < 0)
                return;
            items.splice(at, 1);
            bytes -= item._size;
            if (!items.length)
                queue._persist();
            else
                later(REMOVE_WRITE_MS);
        },
        /** Writes what was added and not yet written; called before any send. */
        _save() {
            if (unsaved)
                queue._persist();
        },
        /**
         * Writes this tab's queue now. `exiting` (pagehide) marks it adoptable by the next page at once;
         * every write after it, until the page is shown again, keeps that form, whatever order the
         * browser fires its exit events in.
         */
        _persist(exiting) {
            unsaved = false;
            clearTimeout(timer);
            timer = undefined;
            if (exiting) {
                // released even with nothing queued: a held lock keeps the page out of the bfcache
                hidden = true;
                release?.();
                release = undefined;
            }
            if (!store || !(items.length || written))
                return;
            written = store.set(key, serialise()) && items.length > 0;
            if (!items.length)
                store.remove(key);
            // the heartbeat: a live tab rewrites its pending queue so others do not take it for dead
            else if (!hidden)
                later(HEARTBEAT_MS);
        },
        /** Small enough to rewrite on every task (about 0.1 ms per 20 KB, platform-facts). */
        _small: () => bytes < SMALL_QUEUE_BYTES,
        /** Forgets every message (consent denied), persisting at once. */
        _clear() {
            items.length = bytes = 0;
            queue._persist();
        },
        /** Back from the back/forward cache: reclaim our key, unless another tab adopted it meanwhile. */
        _resume() {
            hold();
            if (store && written && store.get(key) == null) {
                items.length = bytes = 0;
                written = false;
            }
            queue._persist();
        },
        /**
         * Takes over the queues of tabs that are gone. Their messages keep their place in time and
         * their messageId, so a tab that died mid-send costs at most a duplicate the backend drops.
         */
        async _adopt() {
            if (!store?.keys)
                return;
            const held = locks && new Set(((await locks.query()).held || []).map((l) => l.name));
            const now = Date.now();
            let next;
            const orphans = store.keys(QUEUE_PREFIX).filter((k) => {
                if (k == key)
                    return false;
                try {
                    const s = JSON.parse(store.get(k) || '{}');
                    // adoptable at once when its tab left (pagehide); when the tab holds no lock, after a moment
                    // for a lock not yet granted; without Web Locks, once the tab has been silent too long
                    const wait = s.x
                        ? 0
                        : held?.has(LOCK_PREFIX + k.slice(QUEUE_PREFIX.length)) === false
                            ? UNLOCKED_MS - (now - s.h)
                            : held ? STALE_MS : STALE_MS - (now - s.h);
                    // a missing or broken heartbeat (NaN) counts as gone: adopted, or reported as corrupt
                    if (!(wait > 0))
                        return true;
                    // not yet: look again later, in case it dies without a word
                    next = Math.min(next ?? wait, wait);
                    return false;
                }
                catch {
                    return true;
                }
            });
            if (!orphans.length)
                return next;
            await withLock('atrack_adopt', store, tabId, () => {
                const adopted = [];
                for (const k of orphans) {
                    try {
                        adopted.push(...parse(store.get(k)));
                    }
                    catch {
                        report('storage', 'corrupt queue removed');
                    }
                    store.remove(k);
                }
                const known = new Set(items.map((i) => i._id));
                queue._add(adopted.filter((i) => !known.has(i._id)), now);
                // the orphans' keys are gone: their messages must be on disk under ours before anything else
                queue._persist();
            });
            return next;
        },
    };
    return queue;
}

const SESSION_KEY = 'atrack_session';
const FIRST_TOUCH_KEY = 'atrack_first';
/** Activity is written (and other tabs' sessions read) at most this often: sessions last minutes. */
const SYNC_MS = 1000;
/** The visit's own touch: campaign of the landing URL, outside referrer, traffic-source class. */
function landingTouch(now) {
    const campaign = parseCampaign(location.search);
    const referrer = document.referrer || undefined;
    const type = classifySource(hostOf(referrer), location.hostname, campaign);
    const touch = { type, ...campaign, referrer, landingPage: location.href, timestamp: new Date(now).toISOString() };
    return { touch, key: campaign.utm || campaign.clickIds ? JSON.stringify(campaign) : '' };
}
/**
 * Sessions and attribution. A session ends after `timeoutMs` without activity, or when a visit
 * brings a new campaign; it is stored, so tabs and reloads share it. The first touch is written
 * once and never overwritten; the session touch is the last non-direct, non-internal one.
 */
function createSessions(store, timeoutMs) {
    let landing;
    let s;
    let initial;
    let syncedAt = 0;
    let relanding = false;
    const sessions = {
        /** The last `_touch` started a new session. */
        _isNew: false,
        /**
         * Continues in another store: real storage after consent, memory after a refusal. The visit's
         * touch is weighed again against what that store holds (a session there, a new campaign).
         */
        _moveTo(next) {
            store = next;
            syncedAt = 0;
            relanding = true;
            // the session is what that store holds: one kept in memory meanwhile is not a real one
            s = undefined;
        },
        /** Session context for an activity at `now`; called for every message. */
        _touch(now) {
            const isLanding = !landing || relanding;
            relanding = false;
            sessions._isNew = false;
            landing || (landing = landingTouch(now));
            const { touch, key } = landing;
            const counts = touch.type != 'direct' && touch.type != 'internal';
            let dirty = now - syncedAt > SYNC_MS;
            if (dirty)
                s = readJSON(store, SESSION_KEY) || s;
            if (!s || now - s.at > timeoutMs || (isLanding && key && key != s.c)) {
                // a visit's touch starts one session only: a later timeout on the same page is direct
                s = { id: nanoid(), at: now, c: isLanding ? key : '', t: isLanding && counts ? touch : undefined };
                sessions._isNew = dirty = true;
            }
            else if (isLanding && counts) {
                s.t = touch;
                dirty = true;
            }
            s.at = now;
            if (dirty) {
                syncedAt = now;
                store.set(SESSION_KEY, JSON.stringify(s));
                initial = readJSON(store, FIRST_TOUCH_KEY);
                if (!initial)
                    store.set(FIRST_TOUCH_KEY, JSON.stringify((initial = touch)));
            }
            return { sessionId: s.id, attribution: { initial, session: s.t } };
        },
    };
    return sessions;
}

const NOT_JSON = 'attributes must be a JSON object';
const isObject = (v) => !!v && typeof v == 'object' && !Array.isArray(v);
/** `v` if it is an object, else an empty one: arguments from the page may be anything. */
const objectOr = (v) => (isObject(v) ? v : {});
/** `v` if it is a non-empty string. */
const text = (v) => (typeof v == 'string' && v) || undefined;
/** User attributes are stored, so they must survive JSON (no cycles, no BigInt). */
function serialisable(v) {
    try {
        return isObject(v) && !!JSON.stringify(v);
    }
    catch {
        return false;
    }
}
/**
 * The A-Track client. Every public method catches its own failures and reports them through
 * `onError`: nothing here throws into the page or rejects, except the constructor on bad options.
 *
 * @example
 * const atrack = new ATrack({ publicKey: 'pub_xxx' })
 * await atrack.init()
 * atrack.track('cta_clicked', { plan: 'pro' })
 */
class ATrack {
    /** Throws a TypeError naming the option when the options are invalid. */
    constructor(options) {
        this._intake = [];
        this._held = [];
        this._pre = [];
        this._pageContext = createPageContext();
        this._off = [];
        /** One readable console line per message and per delivery result, with `debug`. */
        this._log = (line) => {
            if (this._c.debug)
                console.log('[atrack] ' + line);
        };
        this._c = resolveOptions(options);
        this._report = createReporter(this._c.onError, !!this._c.debug);
        this._once = once(this._report);
        this._consent = this._c.consent || 'granted';
    }
    /**
     * Restores or creates the visitor, sends `/init` for a new visitor or session, and starts page
     * views, click capture and delivery. Idempotent: later calls return the first result.
     */
    init(payload) {
        return (this._init || (this._init = new Promise((resolve) => {
            const start = () => {
                this._guard(() => this._start(objectOr(payload)));
                this._ready = true;
                this._pre.splice(0).forEach((call) => call());
                resolve({ uuid: this._id?.uuid || '', isNewUser: !!this._id?.isNewUser });
            };
            // a prerendered page may never be shown: it sends nothing, not even /init, until it is
            if (typeof document != 'undefined' && document.prerendering) {
                document.addEventListener('prerenderingchange', start, { once: true });
            }
            else {
                start();
            }
        })));
    }
    /** Sends an event: `track('order_created', { plan: 'pro' })` or `track({ event, attributes, timestamp, uuid, context })`. */
    track(event, attributes) {
        this._when(() => {
            const p = typeof event == 'string' ? { event, attributes } : objectOr(event);
            if (!text(p.event))
                return this._invalid('track() needs an event name');
            if (p.attributes != null && !isObject(p.attributes))
                return this._invalid('track(): ' + NOT_JSON);
            const at = p.timestamp == null ? new Date() : new Date(p.timestamp);
            if (isNaN(+at))
                return this._invalid('track() timestamp is not a date: ' + p.timestamp);
            this._send('/event', {
                ...this._envelope(p.uuid),
                event: p.event,
                attributes: p.attributes || {},
                timestamp: at.toISOString(),
                context: this._context(objectOr(p.context)),
            });
        });
    }
    /** Sends a `page_view` with `{ url, path, title, referrer }` (automatic unless `autoPageviews: false`). */
    page(attributes) {
        this._when(() => {
            if (this._lastUrl && this._lastUrl != location.href)
                this._pageRef = this._lastUrl;
            this._lastUrl = location.href;
            const info = pageInfo(this._pageRef);
            this.track('page_view', { ...info, ...objectOr(attributes) });
        });
    }
    /** Updates the visitor's attributes on the backend (`/attributes`); merged unless `{ mode: 'replace' }`. */
    setAttributes(attributes, options) {
        return this._whenAsync(() => {
            const id = this._id;
            if (!id || !serialisable(attributes))
                return this._invalid('setAttributes(): ' + NOT_JSON);
            const mode = options?.mode == 'replace' ? 'replace' : 'merge';
            id.attributes = mode == 'merge' ? { ...id.attributes, ...attributes } : { ...attributes };
            saveIdentity(this._active, id);
            this._send('/attributes', { ...this._envelope(), mode, attributes, profile: {} });
        });
    }
    /** The current visitor, or null before `init()`. */
    getUser() {
        const id = this._id;
        return id ? { uuid: id.uuid, attributes: { ...id.attributes } } : null;
    }
    /**
     * Adopts a known id (e.g. after login). `/init` goes out with the previous uuid as
     * `context.previousUuid`, so the backend can alias the anonymous history to it.
     */
    identify(uuid, attributes) {
        this._when(() => {
            if (!text(uuid))
                return this._invalid('identify() needs an id');
            if (attributes != null && !serialisable(attributes))
                return this._invalid('identify(): ' + NOT_JSON);
            const previous = this._id.uuid;
            if (previous == uuid)
                return attributes ? void this.setAttributes(attributes) : undefined;
            this._become({ uuid, attributes: objectOr(attributes), isNewUser: false }, { previousUuid: previous });
        });
    }
    /** Logout: a new anonymous uuid, attributes cleared. */
    reset() {
        this._when(() => this._become({ uuid: uuidv4(), attributes: {}, isNewUser: true }));
    }
    /** Stops all tracking and removes what the SDK stored; the refusal itself is kept across visits. */
    optOut() {
        this.setConsent('denied');
    }
    /** Undoes `optOut()`. */
    optIn() {
        this.setConsent('granted');
    }
    /**
     * `'granted'` persists the uuid and sends what waited; `'denied'` drops it and removes every key
     * the SDK wrote; `'pending'` holds new messages in memory.
     */
    setConsent(consent) {
        this._when(() => {
            if (!['granted', 'denied', 'pending'].includes(consent))
                return this._invalid('setConsent() takes granted, denied or pending');
            const was = this._consent;
            this._consent = consent;
            saveRefusal(this._stores, consent == 'denied');
            if (consent == 'denied') {
                const dropped = this._held.length + this._intake.length + (this._queue?._items.length || 0);
                this._held = [];
                this._intake = [];
                this._queue?._clear();
                clearAll(this._stores, ['atrack_uid', 'atrack_user', 'atrack_session', 'atrack_first']);
                this._active = { local: memoryStore() };
                this._sessions._moveTo(this._active.local);
                if (dropped)
                    this._report('opted_out', dropped + ' message(s) dropped: consent denied', { count: dropped });
            }
            else if (consent == 'granted' && was != 'granted') {
                this._grant();
            }
        });
    }
    /** Resolves when the queue is empty or nothing more can be sent now (offline, backing off, no consent). */
    flush() {
        return this._whenAsync(() => {
            this._process();
            return this._delivery?._flush();
        });
    }
    // ——— inside ———
    _start(payload) {
        const c = this._c;
        const stores = (this._stores = createStores(c.storage, c.cookieDomain, this._once));
        if (storedRefusal(stores) || (c.respectDnt && privacySignal()))
            this._consent = 'denied';
        const granted = this._consent == 'granted';
        this._active = granted ? stores : { local: memoryStore() };
        const user = objectOr(payload.user);
        const supplied = text(user.uuid);
        const id = (this._id = loadIdentity(this._active, supplied));
        this._supplied = !!supplied;
        const attributes = serialisable(user.attributes) ? user.attributes : {};
        if (user.attributes) {
            id.attributes = { ...id.attributes, ...attributes };
            saveIdentity(this._active, id);
        }
        this._static = staticContext();
        this._sessions = createSessions(smallStore(this._active), c._timeoutMs);
        if (granted)
            this._deliver();
        const context = this._context(objectOr(payload.context));
        if (id.isNewUser || supplied || user.attributes || this._sessions._isNew) {
            const envelope = this._envelope();
            this._startInit = envelope.messageId;
            this._forced = !!(supplied || user.attributes);
            this._send('/init', { ...envelope, isNewUser: id.isNewUser, mode: 'merge', context, attributes, profile: {} });
        }
        if (c.autoPageviews !== false)
            this._off.push(watchPageviews(() => this.page(), c.hashRouting));
        if (c.autocapture !== false)
            this._off.push(watchClicks((e, a) => this.track(e, a), c.trackOutboundLinks));
    }
    /** Creates the persisted queue and its delivery; only once consent allows storing anything. */
    _deliver() {
        if (this._delivery)
            return;
        const c = this._c;
        const stores = this._stores;
        const queue = (this._queue = createQueue(stores.durable ? stores.local : undefined, nanoid(10), c, this._report));
        const delivery = (this._delivery = createDelivery({
            _base: c._base, _key: c.publicKey, _transport: c.transport || 'auto', _queue: queue, _report: this._report, _log: this._log,
        }));
        let again;
        // takes over queues of tabs that are gone; looks again while another tab's queue may yet be orphaned
        const adopt = () => void Promise.resolve(this._consent == 'granted' ? queue._adopt() : undefined).then((next) => {
            delivery._pump();
            clearTimeout(again);
            if (next != null)
                again = setTimeout(adopt, Math.max(next, 100));
        }, () => undefined);
        this._off.push(watchLifecycle({
            _hidden: (leaving) => this._guard(() => {
                this._process();
                delivery._exit(leaving);
                queue._persist(leaving);
            }),
            _shown: (restored) => this._guard(() => {
                delivery._back();
                if (restored) {
                    queue._resume();
                    if (c.autoPageviews !== false)
                        this.page();
                }
                adopt();
            }),
            _online: () => this._guard(() => (delivery._online(), adopt())),
            _offline: delivery._offline,
        }));
        // an opt-out in another tab holds here too (the storage event reaches other tabs in milliseconds)
        const onStorage = (e) => e.key == REFUSAL_KEY && e.newValue && this._consent != 'denied' && this.setConsent('denied');
        addEventListener('storage', onStorage);
        this._off.push(() => {
            removeEventListener('storage', onStorage);
            clearTimeout(again);
            delivery._stop();
        });
        adopt();
    }
    /** Consent arrived: switch to real storage, keep a uuid stored on an earlier visit, send what waited. */
    _grant() {
        const temp = this._id;
        const id = (this._id = this._supplied ? temp : loadIdentity(this._stores, undefined, temp.uuid));
        if (id.uuid == temp.uuid)
            id.attributes = temp.attributes;
        this._active = this._stores;
        saveIdentity(this._stores, id);
        // the session that began while pending goes on in real storage, with its campaign touch saved
        // now; a session stored on an earlier consented page takes over, and held messages follow it
        const sessions = this._sessions;
        sessions._moveTo(smallStore(this._stores));
        const session = sessions._touch(Date.now());
        // the /init of a pending page is moot for a known visitor whose stored session goes on
        const keepInit = id.isNewUser || this._forced || sessions._isNew;
        this._deliver();
        for (const [path, m] of this._held.splice(0)) {
            const ctx = m.context;
            if (m.messageId == this._startInit && !keepInit)
                continue;
            if (m.uuid == temp.uuid)
                m.uuid = id.uuid;
            if ('isNewUser' in m)
                m.isNewUser = id.isNewUser;
            if (ctx)
                Object.assign(ctx, session);
            this._enqueue(path, m);
        }
    }
    _become(id, extra) {
        this._id = id;
        // chosen by the page (a login, or a logout's new anonymous uuid): consent must not swap it back
        this._supplied = true;
        saveIdentity(this._active, id);
        this._send('/init', {
            ...this._envelope(), isNewUser: id.isNewUser, mode: 'merge', context: this._context(extra), attributes: id.attributes, profile: {},
        });
    }
    _envelope(uuid) {
        return { sdkVersion: SDK_VERSION, messageId: nanoid(), uuid: text(uuid) || this._id.uuid };
    }
    /** Captured context: page, campaign, referrer and session now, over what never changes, under `extra`. */
    _context(extra) {
        const context = { ...this._static, ...this._pageContext(this._pageRef), ...this._sessions._touch(Date.now()), ...extra };
        // a session that began after init (30 minutes idle on this page) announces itself like the first
        if (this._ready && this._sessions._isNew && this._consent != 'denied') {
            this._send('/init', { ...this._envelope(), isNewUser: false, mode: 'merge', context: { ...context }, attributes: {}, profile: {} });
        }
        return context;
    }
    _send(path, message) {
        if (this._static?.isBot && this._c.dropBots) {
            return this._once('opted_out', 'dropBots: automated browser');
        }
        if (this._consent == 'denied') {
            return this._report('opted_out', 'opted out: not sent', { messageId: message.messageId });
        }
        if (this._consent == 'pending')
            this._held.push([path, message]);
        else
            this._enqueue(path, message);
    }
    /** The hot path ends here: serialising, storage and network run once per task, after the page's handler. */
    _enqueue(path, message) {
        this._intake.push([path, message]);
        if (this._scheduled)
            return;
        this._scheduled = true;
        queueMicrotask(() => this._guard(() => this._process()));
    }
    _process() {
        this._scheduled = false;
        const now = Date.now();
        const items = prepare(this._intake.splice(0), this._c, this._report, this._log, now);
        if (items.length && this._queue) {
            this._queue._add(items, now);
            // written before any send is tried (the pump saves first); while nothing can be sent a large
            // queue waits up to a second
            if (this._queue._small())
                this._queue._persist();
            this._delivery._pump();
        }
    }
    _invalid(message) {
        this._report('invalid_argument', message);
    }
    /** Runs `fn` now if `init()` ran, or right after it; catches everything. */
    _when(fn) {
        if (this._ready)
            this._guard(fn);
        else
            this._pre.push(() => this._guard(fn));
    }
    /** As `_when`, for methods that return a promise: it always resolves, whatever happened. */
    _whenAsync(fn) {
        return new Promise((resolve) => this._when(() => void Promise.resolve(this._guard(fn)).then(() => resolve(), () => resolve())));
    }
    /** Runs `fn` and returns what it returns; what it throws is reported, never thrown. */
    _guard(fn) {
        try {
            return fn();
        }
        catch (e) {
            this._report('internal', 'caught: ' + e, { cause: e });
        }
    }
    /** @internal Stops listening to the page (tests, hot module reload); queued messages stay persisted. */
    _stop() {
        this._off.splice(0).forEach((off) => off());
    }
}

/**
 * Creates a client. Throws a TypeError for invalid options; nothing else ever throws.
 *
 * @example
 * import { createATrack } from '@a-track/web'
 * const atrack = createATrack({ publicKey: 'pub_xxx', geo: 'fra' })
 * const { uuid, isNewUser } = await atrack.init()
 * atrack.track('order_created', { plan: 'pro' })
 */
function createATrack(options) {
    return new ATrack(options);
}

export { ATrack, SDK_VERSION, buildInitPayload, createATrack };
//# sourceMappingURL=index.js.map
