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
// The briefing worker carries react-pdf and its dependencies in its one file too: loading them from node_modules (a
// few hundred files, resolved and compiled one by one) was most of the worker's start.
await build({
  ...common,
  plugins: [serverOnlyIsEmpty, pdfkitStandardFonts],
  entryPoints: {
    briefing: 'lib/jobs/entries/briefing.ts',
    // Not a worker: the layout as a plain module, for scripts that render in process (tests/bench/briefing.ts). The
    // TypeScript loader of scripts would load lib/pdf as CommonJS, where @react-pdf's packages do not resolve.
    'render-briefing': 'lib/pdf/render-briefing.tsx',
  },
});
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
