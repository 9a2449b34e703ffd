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

await build({
  absWorkingDir: root,
  entryPoints: {
    fit: 'lib/jobs/entries/fit.ts',
    bootstrap: 'lib/jobs/entries/bootstrap.ts',
    briefing: 'lib/jobs/entries/briefing.ts',
    import: 'lib/jobs/entries/import.ts',
    // Not a worker: the layout as a plain module, for scripts that render in process (tests/bench/briefing.ts). tsx
    // would load lib/pdf as CommonJS, where @react-pdf's packages do not resolve.
    'render-briefing': 'lib/pdf/render-briefing.tsx',
  },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  jsx: 'automatic',
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [serverOnlyIsEmpty],
  // Bundled code that needs CommonJS's require (a dependency's dynamic require) gets one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
// The briefing layout finds its font next to its own module (lib/pdf/fonts.ts): give the bundle the same neighbour.
fs.mkdirSync(path.join(outdir, 'fonts'), { recursive: true });
fs.copyFileSync(path.join(root, 'lib', 'pdf', 'fonts', 'briefing-sc.ttf'), path.join(outdir, 'fonts', 'briefing-sc.ttf'));
console.log(`workers built into ${path.relative(root, outdir)} in ${Math.round(performance.now() - started)} ms`);
