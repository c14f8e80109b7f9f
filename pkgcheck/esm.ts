// Compiled by `npm run pkgcheck` against the packed tarball, as an app would see the package
// (moduleResolution node16 and bundler, skipLibCheck off): the types resolve, typed events work,
// and nothing internal is reachable.
import { ATrack, SDK_VERSION, buildInitPayload, createATrack, type ATrackClient, type ATrackOptions, type InitPayload } from '@a-track/web'

type Events = {
  signup_clicked: { plan: 'free' | 'pro' }
  logged_out: undefined
}

const options: ATrackOptions = { publicKey: 'pub_xxx', geo: 'fra', consent: 'pending', onError: (error) => console.warn(error.code) }
const atrack: ATrackClient<Events> = createATrack<Events>(options)
atrack.track('signup_clicked', { plan: 'pro' })
atrack.track({ event: 'logged_out', timestamp: Date.now() })
// @ts-expect-error a typo in the event name
atrack.track('sigup_clicked', { plan: 'pro' })
// @ts-expect-error no such plan
atrack.track('signup_clicked', { plan: 'business' })
// @ts-expect-error the required attribute is left out (the error names it)
atrack.track('signup_clicked')

const untyped: ATrackClient = createATrack({ publicKey: 'pub_xxx' })
untyped.track('anything', { at: 1 })
const fromClass: ATrackClient = new ATrack({ publicKey: 'pub_xxx' })
void fromClass.init().then(({ uuid, isNewUser }) => console.log(uuid, isNewUser, SDK_VERSION))

const payload: InitPayload = buildInitPayload({ url: '/pricing?utm_source=google', userAgent: 'Mozilla/5.0' })
void untyped.init(payload)
// the README's use: user and context are always there
const served = buildInitPayload({ uuid: 'crm-user-42' })
console.log(served.user.uuid, served.context.library?.version)
