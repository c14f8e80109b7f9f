// A TypeScript page that loads the script tag: the global `atrack` is typed.
/// <reference types="@a-track/web/atrack.min.js" />

atrack.track('cta_clicked', { plan: 'pro' })
window.atrack.page()
void globalThis.atrack.flush()
const { track } = atrack
track({ event: 'video_played', attributes: { seconds: 12 } })
// @ts-expect-error attributes are an object
atrack.track('cta_clicked', 'pro')
// @ts-expect-error no such method
atrack.trak('cta_clicked')
