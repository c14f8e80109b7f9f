import type { Report } from '../errors'
import type { Context, Message } from '../types'
import { snapshot } from '../values'
import type { Item } from './queue'
import { MAX_MESSAGE_BYTES, utf8Bytes } from './transport'

/** A built message on its way to the queue: its endpoint path and its body. */
export type Pending = [path: string, message: Message]

/**
 * From built messages to queue items, in a later task: the page's unchanging context (`env`)
 * joins each message's own, then `beforeSend`, serialising once, the 32 KB limit in UTF-8 bytes.
 * Every message left out is reported, except those `beforeSend` dropped on purpose (`null`).
 *
 * @example prepare([['/event', message]], {}, report, log, Date.now(), env) // [{ _path: '/event', _body: '{…}', … }]
 */
export function prepare(
  batch: Pending[],
  c: { beforeSend?: (message: Message) => Message | null },
  report: Report,
  log: (line: string) => void,
  now: number,
  env: Context = {},
): Item[] {
  const items: Item[] = []
  for (const [path, built] of batch) {
    // a copy with the context in full: what the page's beforeSend sees is what is sent
    const original = ('context' in built ? { ...built, context: { ...env, ...built.context } } : built) as Message
    let message: Message | null
    let body: string
    try {
      // a copy: messages share parts (the page's context), and the hook may edit in place
      message = c.beforeSend ? c.beforeSend(snapshot(original) as Message) : original
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
