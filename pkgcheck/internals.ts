// Internal modules are not part of the package's API: the exports map hides them.
// @ts-expect-error not exported
export type { ATrack as FromClient } from '@a-track/web/dist/client.js'
// @ts-expect-error not exported (the entry is `@a-track/web`)
export type { ATrack as FromDist } from '@a-track/web/dist/index.js'
