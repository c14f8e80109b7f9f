// `npm run pkgcheck`: checks the package as npm would publish it. After `npm run build`: the
// build carries package.json's version, and the README's script tags pin it with the built
// bundle's integrity (sri.mjs). Then it packs the tarball: its file list is exactly what a user needs; publint; arethetypeswrong
// (profile esm-only: the package is ESM, so node10 and CommonJS `require` are out of scope); and
// the TypeScript files beside this script compiled against the unpacked tarball under
// moduleResolution node16 and bundler, with skipLibCheck off so the shipped .d.ts are checked too.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { README, current, readmeProblems } from './sri.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const work = join(root, '.tmp', 'pkgcheck');
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** What the tarball holds, and nothing else (npm adds README, LICENSE and package.json itself). */
const EXPECTED_FILES = [
  'CHANGELOG.md',
  'LICENSE',
  'README.md',
  'dist/atrack.min.d.ts',
  'dist/atrack.min.js',
  'dist/atrack.min.js.map',
  'dist/index.d.ts',
  'dist/index.js',
  'dist/index.js.map',
  'package.json',
];

function run(file, args) {
  try {
    execFileSync(file, args, { cwd: root, stdio: 'inherit' });
  } catch {
    console.error(`pkgcheck: failed: ${file.slice(root.length)} ${args.join(' ')}`);
    process.exit(1);
  }
}

function fail(problem) {
  console.error(`pkgcheck: ${problem}`);
  process.exit(1);
}

// The version on the wire is package.json's: the ESM build says so at import (it touches no browser
// global), the script tag carries the same string.
const { version, integrity } = current();
const esm = await import(pathToFileURL(join(root, 'dist', 'index.js')).href);
const library = esm.buildInitPayload({}).context.library;
if (esm.SDK_VERSION !== version || library.version !== version) fail(`dist/index.js says ${esm.SDK_VERSION} (library ${library.version}), package.json ${version}: rebuild`);
if (!readFileSync(join(root, 'dist', 'atrack.min.js'), 'utf8').includes(JSON.stringify(version))) fail(`dist/atrack.min.js does not carry "${version}": rebuild`);
for (const problem of readmeProblems(readFileSync(README, 'utf8'), version, integrity)) fail(problem);
console.log(`pkgcheck: ${version} on the wire; the README pins @a-track/web@${version} with integrity ${integrity}`);

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const [pack] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
const tarball = join(work, pack.filename);
const files = pack.files.map((file) => file.path).sort();
console.log(`pkgcheck: ${pack.filename}, ${pack.size} bytes packed, ${pack.unpackedSize} unpacked`);
for (const file of pack.files) console.log(`  ${String(file.size).padStart(7)}  ${file.path}`);
const extra = files.filter((file) => !EXPECTED_FILES.includes(file));
const missing = EXPECTED_FILES.filter((file) => !files.includes(file));
if (extra.length || missing.length) {
  console.error(`pkgcheck: the tarball should hold exactly ${EXPECTED_FILES.join(', ')}; unexpected: [${extra.join(', ')}], missing: [${missing.join(', ')}]`);
  process.exit(1);
}

run(bin('publint'), ['run', tarball, '--strict']);
run(bin('attw'), [tarball, '--profile', 'esm-only', '--no-emoji', '--no-color', '--format', 'table-flipped']);

// A consumer project: the tarball unpacked where npm would install it, and nothing else.
const app = join(work, 'app');
const installed = join(app, 'node_modules', '@a-track', 'web');
mkdirSync(installed, { recursive: true });
execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
cpSync(here, join(app, 'src'), { recursive: true, filter: (path) => !path.endsWith('.mjs') });
writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
const compilerOptions = { strict: true, noEmit: true, skipLibCheck: false, target: 'ES2020', lib: ['ES2022', 'DOM'], types: [] };
for (const [mode, module] of [['node16', 'node16'], ['bundler', 'esnext']]) {
  const config = join(app, `tsconfig.${mode}.json`);
  writeFileSync(config, JSON.stringify({ compilerOptions: { ...compilerOptions, module, moduleResolution: mode }, include: ['src'] }));
  run(bin('tsc'), ['-p', config]);
  console.log(`pkgcheck: the packed types compile under moduleResolution ${mode}`);
}
rmSync(work, { recursive: true, force: true });
console.log('pkgcheck: ok');
