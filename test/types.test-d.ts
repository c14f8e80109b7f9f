// Compile-time tests of the public types: `npm run typecheck` (tsc --noEmit, first step of
// `npm test`) compiles this file; nothing here runs. Each `@ts-expect-error` must stay an error:
// if a typing loosens, the directive is unused and tsc fails; if it tightens, the valid calls fail.
// The same API, as the packed tarball declares it, is compiled again by `npm run pkgcheck`.
import { describe, expectTypeOf, test } from 'vitest'
import { ATrack, buildInitPayload, createATrack, type ATrackClient, type Attributes, type Context, type EventAttributesArgument, type EventName, type NameWithoutAttributes, type RequiredAttributeNames, type TrackPayload } from '../src/index'

type Events = {
  signup_clicked: { plan: 'free' | 'pro' }
  invoice_paid: { amount: number; currency?: string }
  filters_changed: { sort?: 'asc' | 'desc' }
  logged_out: undefined
}

describe('typed events', () => {
  const atrack = createATrack<Events>({ publicKey: 'pub_xxx' })

  test('accepts known names with their attributes', () => {
    atrack.track('signup_clicked', { plan: 'pro' })
    atrack.track('invoice_paid', { amount: 49, currency: 'EUR' })
    atrack.track('filters_changed')
    atrack.track('filters_changed', { sort: 'asc' })
    atrack.track('logged_out')
    atrack.track({ event: 'signup_clicked', attributes: { plan: 'free' }, timestamp: new Date(), uuid: 'u1', context: { locale: 'fr-FR' } })
    atrack.track({ event: 'logged_out' })
    atrack.track({ event: 'filters_changed', timestamp: 1_700_000_000_000 })
  })

  test('refuses unknown names, in both forms', () => {
    // @ts-expect-error a typo in the event name
    atrack.track('sigup_clicked', { plan: 'pro' })
    // @ts-expect-error a typo in the event name, object form
    atrack.track({ event: 'sigup_clicked', attributes: { plan: 'pro' } })
    // @ts-expect-error a name that is no string at all
    atrack.track(42)
  })

  test('refuses wrong, missing and extra attributes, in both forms', () => {
    // @ts-expect-error 'business' is no plan
    atrack.track('signup_clicked', { plan: 'business' })
    // @ts-expect-error plan is required
    atrack.track('signup_clicked', {})
    // @ts-expect-error the attributes are required when a key is
    atrack.track('signup_clicked')
    // @ts-expect-error amount is a number
    atrack.track('invoice_paid', { amount: '49' })
    // @ts-expect-error an attribute the event does not declare
    atrack.track('signup_clicked', { plan: 'pro', coupon: 'x' })
    // @ts-expect-error 'business' is no plan, object form
    atrack.track({ event: 'signup_clicked', attributes: { plan: 'business' } })
    // @ts-expect-error the attributes are required, object form
    atrack.track({ event: 'signup_clicked' })
    // @ts-expect-error the attributes of another event
    atrack.track({ event: 'invoice_paid', attributes: { plan: 'pro' } })
    // @ts-expect-error an event without attributes
    atrack.track('logged_out', { reason: 'idle' })
  })

  test('makes the attributes optional only when no key is required', () => {
    expectTypeOf<EventAttributesArgument<Events['signup_clicked']>>().toEqualTypeOf<[attributes: { plan: 'free' | 'pro' }]>()
    expectTypeOf<EventAttributesArgument<Events['filters_changed']>>().toEqualTypeOf<[attributes?: { sort?: 'asc' | 'desc' }]>()
    expectTypeOf<EventAttributesArgument<Events['logged_out']>>().toEqualTypeOf<[attributes?: undefined]>()
    expectTypeOf<EventName<Events>>().toEqualTypeOf<'signup_clicked' | 'invoice_paid' | 'filters_changed' | 'logged_out'>()
  })

  test('names the required attributes a call without attributes leaves out', () => {
    // the parameter of track(name) alone, which the type error prints (test/type-errors.test.ts reads the error itself)
    expectTypeOf<NameWithoutAttributes<Events, 'signup_clicked'>>().toEqualTypeOf<{ 'signup_clicked needs the attribute plan': never }>()
    expectTypeOf<NameWithoutAttributes<Events, 'filters_changed' | 'logged_out'>>().toEqualTypeOf<'filters_changed' | 'logged_out'>()
    expectTypeOf<RequiredAttributeNames<{ amount: number; currency?: string; vat: number }>>().toEqualTypeOf<'amount' | 'vat'>()
  })

  test('types the rest of the client as without events', () => {
    expectTypeOf(atrack.init()).resolves.toEqualTypeOf<{ uuid: string; isNewUser: boolean }>()
    expectTypeOf(atrack.getUser()).toEqualTypeOf<{ uuid: string; attributes: Attributes } | null>()
    expectTypeOf(atrack.flush()).toEqualTypeOf<Promise<void>>()
    // @ts-expect-error no such consent state
    atrack.setConsent('maybe')
  })

  test('accepts an interface as the event map', () => {
    interface PlanEvents {
      plan_chosen: { plan: 'free' | 'pro' }
    }
    const typed = createATrack<PlanEvents>({ publicKey: 'pub_xxx' })
    typed.track('plan_chosen', { plan: 'free' })
    // @ts-expect-error not in the interface
    typed.track('order_created')
  })

  test('refuses an event map whose attributes are not objects', () => {
    // @ts-expect-error attributes are an object (or undefined), not a string
    createATrack<{ clicked: string }>({ publicKey: 'pub_xxx' })
  })
})

describe('without a type argument', () => {
  const atrack = createATrack({ publicKey: 'pub_xxx' })

  test('accepts any name and any attributes, as before', () => {
    atrack.track('order_created', { plan: 'pro', items: [1, 2], nested: { ok: true } })
    atrack.track('anything')
    const name: string = 'from_a_variable'
    atrack.track(name, { n: 1 })
    const payload: TrackPayload = { event: name, attributes: { n: 1 } }
    atrack.track(payload)
    expectTypeOf(atrack).toEqualTypeOf<ATrackClient>()
  })

  test('still refuses what never worked', () => {
    // @ts-expect-error attributes are an object
    atrack.track('order_created', 'pro')
    // @ts-expect-error an event name is required
    atrack.track({ attributes: {} })
  })
})

describe('the client interface and the class', () => {
  test('the class implements the interface', () => {
    expectTypeOf(new ATrack({ publicKey: 'pub_xxx' })).toExtend<ATrackClient>()
  })

  test('the interface lists every public method of the class', () => {
    type PublicMethods = Exclude<keyof ATrack, `_${string}`>
    expectTypeOf<keyof ATrackClient>().toEqualTypeOf<PublicMethods>()
  })
})

describe('buildInitPayload', () => {
  test('returns a user and a context, always', () => {
    const payload = buildInitPayload({ url: '/pricing' })
    expectTypeOf(payload.user).toEqualTypeOf<{ uuid?: string; attributes?: Attributes }>()
    expectTypeOf(payload.context).toEqualTypeOf<Context>()
    const uuid: string | undefined = payload.user.uuid // the README's use, under strict
    void uuid
    void createATrack({ publicKey: 'pub_xxx' }).init(payload)
  })
})
