// Compiles the worker entries (lib/jobs/entries/*) into dist/workers/*.mjs with esbuild, so that worker threads start
// from plain JavaScript: no TypeScript loader at run time, no dependence on the working directory. npm packages stay
// external (resolved from node_modules as usual); `npm run build`, `npm start` and the tests run this first.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const outdir = path.join(root, 'dist', 'workers');
const started = performance.now();

// `server-only` marks modules the client bundle must not import (its default export throws); a worker is server code.
const serverOnlyIsEmpty = {
  name: 'server-only-is-empty',
  setup(context) {
    context.onResolve({ filter: /^server-only$/ }, () => ({ path: 'server-only', namespace: 'empty' }));
    context.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

// Shared by both builds below.
const common = {
  absWorkingDir: root,
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  jsx: 'automatic',
  minify: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [serverOnlyIsEmpty],
  // Bundled code that needs CommonJS's require (a dependency's dynamic require) gets one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
};

// Fits, bootstrap halves and imports carry their pure-JavaScript dependencies (zod, drizzle), tree-shaken and minified:
// one file to parse starts faster than a walk through node_modules. The native SQLite addon stays outside.
await build({
  ...common,
  entryPoints: {
    fit: 'lib/jobs/entries/fit.ts',
    bootstrap: 'lib/jobs/entries/bootstrap.ts',
    import: 'lib/jobs/entries/import.ts',
  },
  external: ['better-sqlite3'],
});
// The cluster worker process (`npm run worker`): pg and pg-boss load from node_modules.
await build({
  ...common,
  entryPoints: { 'pg-worker': 'lib/jobs/entries/pg-worker.ts' },
  external: ['better-sqlite3', 'pg', 'pg-boss'],
});
// pdfkit (under react-pdf) loads its standard fonts lazily through its package's private imports
// (`require('#standard-fonts/Helvetica')`), which resolve only inside node_modules/pdfkit: in the bundle they name the
// copies next to it (dist/workers/standard-fonts, copied below).
let pdfkitScripts = null; // pdfkit's js folder, wherever npm put the package
const pdfkitStandardFonts = {
  name: 'pdfkit-standard-fonts',
  setup(context) {
    context.onLoad({ filter: /[\\/]node_modules[\\/]pdfkit[\\/]js[\\/][^\\/]+\.m?js$/ }, async (args) => {
      pdfkitScripts = path.dirname(args.path);
      const source = await fs.promises.readFile(args.path, 'utf8');
      return { contents: source.replace(/(['"])#standard-fonts\/([A-Za-z]+)\1/g, "'./standard-fonts/$2.cjs'"), loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};
// What the briefing worker's start spent on code a briefing never runs (measured with --cpu-prof; docs/decisions/jobs.md
// has the figures): each replacement below must find its module, or the build fails, so that an upgrade of react-pdf
// cannot silently bring the cost back or leave a replacement pointing at nothing. The PDFs are byte for byte the same.
const leanBriefingHits = new Set();
const reactVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'react', 'package.json'), 'utf8')).version;
const [reactMajor, reactMinor] = reactVersion.split('.').map(Number);
// @react-pdf/reconciler's index picks one of three reconciler builds by React's version at run time, so all three
// (570 KB) were parsed; the installed React is known at build time. The choice is the index's own rule.
const reconcilerBuild = reactMajor >= 20 || (reactMajor === 19 && reactMinor >= 2) ? 'reconciler-33.js' : reactMajor === 19 ? 'reconciler-31.js' : 'reconciler-23.js';
const leanBriefing = {
  name: 'lean-briefing',
  setup(context) {
    const replace = (name, filter, contents) =>
      context.onLoad({ filter }, (args) => {
        leanBriefingHits.add(name);
        return { contents, loader: 'js', resolveDir: path.dirname(args.path) };
      });
    replace('reconciler', /[\\/]@react-pdf[\\/]reconciler[\\/]lib[\\/]index\.js$/, `export { default } from './${reconcilerBuild}';`);
    // fontkit decompresses WOFF2 fonts with brotli (a 1.4 MB decoder and dictionary); the briefing fonts are TrueType.
    replace('brotli', /[\\/]node_modules[\\/]brotli[\\/]decompress\.js$/, "module.exports = function decompress() { throw new Error('WOFF2 fonts are not supported in the briefing worker: use TrueType.'); };");
    // pdfkit encrypts password-protected PDFs with AES, whose tables are computed when the module loads; briefings
    // are not encrypted.
    replace('aes', /[\\/]@noble[\\/]ciphers[\\/](esm[\\/])?aes\.js$/, [
      "const unused = () => { throw new Error('PDF encryption is not supported in the briefing worker.'); };",
      'export const cbc = unused;',
      'export const ecb = unused;',
    ].join('\n'));
    // react-pdf builds its English hyphenation trie when the module loads; briefings break lines with their own
    // callback (lib/pdf/fonts.ts splitForLineBreaking), so the trie is built only if something asks for it.
    replace('hyphenate', /[\\/]@react-pdf[\\/]hyphenate[\\/]lib[\\/]en-us\.js$/, [
      "import patterns from 'hyphen/patterns/en-us.js';",
      "import createHyphenator from './index.js';",
      'let hyphenator = null;',
      'const built = () => (hyphenator ??= createHyphenator(patterns));',
      'export const hyphenate = (word) => built().hyphenate(word);',
      'export const syllables = (word) => built().syllables(word);',
      'export { patterns };',
    ].join('\n'));
    // linebreak decodes its 40 KB table at load with an old base64-js that reads one character at a time; Node's own
    // decoder is native. A copy, so that no consumer shares Buffer's pooled memory.
    context.onResolve({ filter: /^base64-js$/ }, () => ({ path: 'base64-js', namespace: 'node-base64' }));
    context.onLoad({ filter: /.*/, namespace: 'node-base64' }, () => {
      leanBriefingHits.add('base64-js');
      return {
        contents: [
          "const bytes = (text) => { const decoded = Buffer.from(text, 'base64'); return new Uint8Array(decoded.buffer.slice(decoded.byteOffset, decoded.byteOffset + decoded.length)); };",
          'module.exports = {',
          '  toByteArray: bytes,',
          "  fromByteArray: (array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64'),",
          "  byteLength: (text) => Buffer.byteLength(text, 'base64'),",
          '};',
        ].join('\n'),
        loader: 'js',
      };
    });
    // fontkit, unicode-properties and linebreak inflate five Unicode tables when they load; three serve the Arabic,
    // Indic and other complex-script shapers that a Chinese or English briefing never reaches. Each table is inflated
    // on its first lookup instead (get() is the only method they use).
    context.onResolve({ filter: /^unicode-trie$/ }, (args) => ({ path: args.resolveDir, namespace: 'lazy-unicode-trie' }));
    context.onLoad({ filter: /.*/, namespace: 'lazy-unicode-trie' }, (args) => {
      leanBriefingHits.add('unicode-trie');
      return {
        contents: [
          "import UnicodeTrie from 'unicode-trie/index.js';",
          'export default class LazyUnicodeTrie {',
          '  #data;',
          '  #trie = null;',
          '  constructor(data) { this.#data = data; }',
          '  get(codePoint) { return (this.#trie ??= new UnicodeTrie(this.#data)).get(codePoint); }',
          '}',
        ].join('\n'),
        loader: 'js',
        resolveDir: args.path,
      };
    });
  },
};
// The briefing worker carries react-pdf and its dependencies in its one file too: loading them from node_modules (a
// few hundred files, resolved and compiled one by one) was most of the worker's start.
await build({
  ...common,
  plugins: [serverOnlyIsEmpty, pdfkitStandardFonts, leanBriefing],
  entryPoints: {
    briefing: 'lib/jobs/entries/briefing.ts',
    // Not a worker: the layout as a plain module, for scripts that render in process (tests/bench/briefing.ts). The
    // TypeScript loader of scripts would load lib/pdf as CommonJS, where @react-pdf's packages do not resolve.
    'render-briefing': 'lib/pdf/render-briefing.tsx',
  },
});
for (const name of ['reconciler', 'brotli', 'aes', 'hyphenate', 'unicode-trie', 'base64-js']) {
  if (!leanBriefingHits.has(name)) throw new Error(`build-workers: the briefing bundle's ${name} replacement found no module (react-pdf upgraded?)`);
}
if (!pdfkitScripts || !fs.existsSync(path.join(pdfkitScripts, 'standard-fonts'))) throw new Error('build-workers: pdfkit standard fonts not found beside the bundled pdfkit');
fs.cpSync(path.join(pdfkitScripts, 'standard-fonts'), path.join(outdir, 'standard-fonts'), {
  recursive: true,
  filter: (source) => !source.endsWith('.mjs'),
});
// The briefing layout finds its fonts next to its own module (lib/pdf/fonts.ts): give the bundle the same neighbours.
fs.mkdirSync(path.join(outdir, 'fonts'), { recursive: true });
const fontFolder = path.join(root, 'lib', 'pdf', 'fonts');
for (const file of fs.readdirSync(fontFolder).filter((name) => name.endsWith('.ttf'))) {
  fs.copyFileSync(path.join(fontFolder, file), path.join(outdir, 'fonts', file));
}
console.log(`workers built into ${path.relative(root, outdir)} in ${Math.round(performance.now() - started)} ms`);
