// Subresource Integrity for the script tag. The README's snippet pins the version and carries the
// sha384 of the built dist/atrack.min.js; the build writes that hash to dist/atrack.min.js.sri,
// `npm run pkgcheck` fails when the README's snippet differs, and `npm run sri` (build, then
// this file run) rewrites the snippet: any change to src/ changes the hash.
//
//   npm run sri                       rebuild and rewrite the README's script tags
//   import { sri } from './sri.mjs'   the rollup plugin that writes dist/atrack.min.js.sri
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const README = `${root}README.md`;
export const BUNDLE = `${root}dist/atrack.min.js`;

/** `sha384-<base64>`, the form of an `integrity` attribute. */
export function integrityOf(bytes) {
  return `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
}

/**
 * A rollup plugin: after the script tag is written, writes its integrity beside it
 * (`<file>.sri`), as a browser computes it on the bytes served.
 */
export function sri() {
  return {
    name: 'sri',
    writeBundle(options) {
      writeFileSync(`${options.file}.sri`, `${integrityOf(readFileSync(options.file))}\n`);
    },
  };
}

// A script tag loading the bundle from unpkg, versioned or not, with its integrity and crossorigin if any.
const UNPKG_TAG = /src="https:\/\/unpkg\.com\/@a-track\/web(?:@[^/"]*)?\/dist\/atrack\.min\.js"(?:\s+integrity="[^"]*")?(?:\s+crossorigin="[^"]*")?/g;

/** The README with every unpkg script tag pinned to `version` and carrying `integrity`. */
export function pinScriptTags(readme, version, integrity) {
  return readme.replace(UNPKG_TAG, `src="https://unpkg.com/@a-track/web@${version}/dist/atrack.min.js" integrity="${integrity}" crossorigin="anonymous"`);
}

/** What is wrong with the README's script tags for this build; empty when nothing is. */
export function readmeProblems(readme, version, integrity) {
  if (!readme.match(UNPKG_TAG)) return ['the README has no unpkg script tag'];
  if (pinScriptTags(readme, version, integrity) === readme) return [];
  return [`the README's script tags are not pinned to @a-track/web@${version} with integrity="${integrity}" (the built dist/atrack.min.js): run npm run sri`];
}

/** The version in package.json and the integrity of the built bundle. */
export function current() {
  const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
  return { version, integrity: integrityOf(readFileSync(BUNDLE)) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { version, integrity } = current();
  const readme = readFileSync(README, 'utf8');
  const pinned = pinScriptTags(readme, version, integrity);
  if (pinned !== readme) writeFileSync(README, pinned);
  console.log(`sri: README script tags ${pinned === readme ? 'already' : 'now'} pinned to @a-track/web@${version}, ${integrity}`);
}
