import type { Report } from '../errors'
import type { Item } from './queue'
import { MAX_MESSAGE_BYTES, utf8Bytes } from './transport'
import type { ATrackOptions, Message } from '../types'

/** A built message waiting for the end of the task: its endpoint path and its body. */
export type Pending = [path: string, message: Message]

/**
 * From built messages to queue items, once per task, off the page's handler: the burst cap,
 * `beforeSend`, serialising once, the 32 KB limit in UTF-8 bytes. Every message left out is
 * reported, except those `beforeSend` dropped on purpose (`null`).
 *
 * @example prepare([['/event', message]], { _maxMessages: 1000 }, report, log, Date.now()) // [{ _path: '/event', _body: '{…}', … }]
 */
export function prepare(
  batch: Pending[],
  c: Pick<ATrackOptions, 'beforeSend'> & { _maxMessages: number },
  report: Report,
  log: (line: string) => void,
  now: number,
): Item[] {
  const items: Item[] = []
  // a burst over the queue cap would push out its own oldest messages: skip serialising them
  const over = batch.length - c._maxMessages
  if (over > 0) report('queue_full', over + ' queued message(s) dropped: over the queue cap', { count: over })
  for (const [path, original] of over > 0 ? batch.slice(over) : batch) {
    let message: Message | null = original
    let body: string
    try {
      message = c.beforeSend ? c.beforeSend(original) : original
      if (message === null) continue
      // a hook that forgot to return, a filter returning true, an async one: mistakes to report
      if (typeof message?.messageId != 'string') throw 'beforeSend must return the message or null'
      body = JSON.stringify(message)
    } catch (e) {
      report('invalid_argument', 'message dropped: ' + e, { messageId: original.messageId })
      continue
    }
    const size = utf8Bytes(body)
    if (size > MAX_MESSAGE_BYTES) {
      report('oversize', path + ' of ' + size + ' bytes refused: the limit is ' + MAX_MESSAGE_BYTES, { messageId: message.messageId })
      continue
    }
    items.push({ _path: path, _body: body, _id: message.messageId, _t: now, _size: size })
    log('queued ' + path + ' ' + body)
  }
  return items
}
