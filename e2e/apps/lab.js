// The package's ESM build on a page, for tests that need options a script tag cannot express
// (onError, beforeSend, storage): `window.sdk.createATrack(...)` inside page.evaluate.
import * as sdk from '../../dist/index.js'

window.sdk = sdk
