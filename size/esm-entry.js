// What an app pays for `import { createATrack } from '@a-track/web'`: the ESM build with its
// dependency, tree-shaken and minified as an app's bundler would. rollup.config.mjs bundles this
// into .size/createATrack.min.js for the size-limit entry of the same name.
export { createATrack } from '../dist/index.js'
