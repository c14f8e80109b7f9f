import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { declaredAttributes, watchClicks } from '../src/capture/clicks'
import { resetPage, setURL } from './helpers'

const stops: (() => void)[] = []
function watch(outbound?: boolean) {
  const track = vi.fn()
  stops.push(watchClicks(track, outbound))
  return track
}

/** Clicks `el` without letting happy-dom follow a link. */
function click(el: Element) {
  const stop = (e: Event) => e.preventDefault()
  document.addEventListener('click', stop)
  el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }))
  document.removeEventListener('click', stop)
}

beforeEach(() => setURL('https://www.example.com/'))
afterEach(() => {
  stops.splice(0).forEach((stop) => stop())
  resetPage()
})

describe('declaredAttributes', () => {
  it('takes the data-atrack-* attributes without the prefix and without the event name', () => {
    document.body.innerHTML = '<button data-atrack-event="cta" data-atrack-plan="pro" data-atrack-seats="3" data-other="x" class="b">Go</button>'
    expect(declaredAttributes(document.querySelector('button')!)).toEqual({ plan: 'pro', seats: '3' })
  })
})

describe('watchClicks', () => {
  it('sends data-atrack-event with its data-atrack-* attributes', () => {
    const track = watch()
    document.body.innerHTML = '<button data-atrack-event="cta_clicked" data-atrack-plan="pro">Buy</button>'
    click(document.querySelector('button')!)
    expect(track.mock.calls).toEqual([['cta_clicked', { plan: 'pro' }]])
  })

  it('finds the tagged element from a click on its child', () => {
    const track = watch()
    document.body.innerHTML = '<div data-atrack-event="card_opened" data-atrack-id="7"><span><b>title</b></span></div>'
    click(document.querySelector('b')!)
    expect(track.mock.calls).toEqual([['card_opened', { id: '7' }]])
  })

  it('works for an element added after it started', () => {
    const track = watch()
    const late = document.createElement('button')
    late.setAttribute('data-atrack-event', 'late_clicked')
    document.body.append(late)
    click(late)
    expect(track.mock.calls).toEqual([['late_clicked', {}]])
  })

  it('still sees a click whose handler stops propagation', () => {
    const track = watch()
    document.body.innerHTML = '<button data-atrack-event="cta">Buy</button>'
    const button = document.querySelector('button')!
    button.addEventListener('click', (e) => e.stopPropagation())
    click(button)
    expect(track).toHaveBeenCalledWith('cta', {})
  })

  it('never prevents the default action', () => {
    watch(true)
    document.body.innerHTML = '<a href="https://other.org/x" data-atrack-event="go">x</a>'
    const event = new MouseEvent('click', { bubbles: true, cancelable: true })
    let prevented: boolean | undefined
    document.addEventListener('click', (e) => ((prevented = e.defaultPrevented), e.preventDefault()), { once: true })
    document.querySelector('a')!.dispatchEvent(event)
    expect(prevented).toBe(false)
  })

  it('ignores clicks on untagged elements', () => {
    const track = watch()
    document.body.innerHTML = '<button>Plain</button>'
    click(document.querySelector('button')!)
    expect(track).not.toHaveBeenCalled()
  })

  it('sends outbound_link_clicked for a link to another site only when enabled', () => {
    document.body.innerHTML = '<a href="https://docs.other.org/guide?x=1">Docs</a>'
    const off = watch(false)
    const on = watch(true)
    click(document.querySelector('a')!)
    expect(off).not.toHaveBeenCalled()
    expect(on.mock.calls).toEqual([['outbound_link_clicked', { url: 'https://docs.other.org/guide?x=1', host: 'docs.other.org' }]])
  })

  it.each([
    ['a same-host link', '<a href="/pricing">Pricing</a>'],
    ['a mailto link', '<a href="mailto:hi@other.org">Mail</a>'],
  ])('does not count %s as outbound', (_, html) => {
    const track = watch(true)
    document.body.innerHTML = html
    click(document.querySelector('a')!)
    expect(track).not.toHaveBeenCalled()
  })

  it('stops listening once stopped', () => {
    const track = vi.fn()
    watchClicks(track)()
    document.body.innerHTML = '<button data-atrack-event="cta">Buy</button>'
    click(document.querySelector('button')!)
    expect(track).not.toHaveBeenCalled()
  })
})
