// The import graph keeps the architecture of README's picture: pages and routes (app/) use components and lib, never
// the database handle itself; components never import app/; lib never imports the demo generator (db/demo); nothing
// imports in a circle; every module that opens or queries the database is marked server-only, so the client bundle
// can never pull it in. Type-only imports count for cycles only: they vanish at compile time.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const SOURCE_FOLDERS = ['app', 'components', 'lib', 'db'];

function listSources(folder: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, folder), { withFileTypes: true })) {
    const relative = path.posix.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name === 'migrations') continue;
      out.push(...listSources(relative));
    } else if (/\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(relative);
  }
  return out;
}

const files = SOURCE_FOLDERS.flatMap(listSources);
const known = new Set(files);

function resolve(from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith('@/')) base = specifier.slice(2);
  else if (specifier.startsWith('.')) base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) if (known.has(candidate)) return candidate;
  return null;
}

interface ModuleInfo {
  /** Value imports (and re-exports) of project files. */
  imports: string[];
  /** Type-only imports too: a cycle through types still ties two modules together. */
  allImports: string[];
  serverOnly: boolean;
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g;

const modules = new Map<string, ModuleInfo>();
for (const file of files) {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const imports = new Set<string>();
  const allImports = new Set<string>();
  for (const match of text.matchAll(IMPORT)) {
    const target = resolve(file, match[3]!);
    if (!target) continue;
    allImports.add(target);
    if (!match[2]) imports.add(target); // not `import type …`
  }
  for (const match of text.matchAll(DYNAMIC)) {
    const target = resolve(file, match[1]!);
    if (target) {
      imports.add(target);
      allImports.add(target);
    }
  }
  modules.set(file, { imports: [...imports], allImports: [...allImports], serverOnly: /^import 'server-only';$/m.test(text) });
}

const importsOf = (file: string) => modules.get(file)?.imports ?? [];
const DATABASE_MODULES = new Set(['db/client.ts', 'db/schema.ts', 'db/respondents.ts', 'db/store.ts']);

describe('the import graph', () => {
  test('found the source files', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(importsOf('lib/queries/indicators.ts')).toContain('db/store.ts');
  });

  test('components never import app/', () => {
    const found = files.filter((f) => f.startsWith('components/')).flatMap((f) => importsOf(f).filter((t) => t.startsWith('app/')).map((t) => `${f} -> ${t}`));
    expect(found).toEqual([]);
  });

  test('lib never imports the demonstration generator (db/demo)', () => {
    const found = files.filter((f) => f.startsWith('lib/')).flatMap((f) => importsOf(f).filter((t) => t.startsWith('db/demo/')).map((t) => `${f} -> ${t}`));
    expect(found).toEqual([]);
  });

  test('app/ reaches the database only through lib (no db/ import but data files)', () => {
    const found = files.filter((f) => f.startsWith('app/')).flatMap((f) => importsOf(f).filter((t) => t.startsWith('db/')).map((t) => `${f} -> ${t}`));
    expect(found).toEqual([]);
  });

  test('every module of app/, components/ and lib/ that imports the database handle or schema is server-only', () => {
    const found = files.filter((f) => !f.startsWith('db/') && importsOf(f).some((t) => DATABASE_MODULES.has(t)) && !modules.get(f)!.serverOnly);
    expect(found).toEqual([]);
  });

  test('every query module is server-only', () => {
    expect(files.filter((f) => f.startsWith('lib/queries/') && !modules.get(f)!.serverOnly)).toEqual([]);
  });

  test('no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'active' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'active');
      stack.push(file);
      for (const next of modules.get(file)?.allImports ?? []) {
        if (state.get(next) === 'active') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' -> '));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });
});

// The store convention (db/store.ts): query modules run on SQLite and on PostgreSQL alike, so they use only the builder
// API both dialects share. The SQLite driver's synchronous finishers (.get(), .all(), .run()), its raw client
// ($client) and pg's execute() are allowed only in the modules listed here.
const SQLITE_ONLY_QUERY_MODULES = new Map<string, string>([
  // module → why it may stay SQLite-only (CLI-only code, or code that runs on this machine's file by design)
  ['lib/queries/audit-sqlite.ts', "the import's audit entries, inside its synchronous SQLite transactions"],
  ['lib/queries/microdata-source.ts', "the microdata export reads a SQLite file on both back ends (the cluster's local copy of a published version)"],
]);
const SQLITE_ONLY_API = [/\.(get|all|run)\(\s*\)/, /\$client\b/, /\.execute\(/];

function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

describe('the store convention', () => {
  const queryModules = files.filter((f) => f.startsWith('lib/queries/'));
  const usesSqliteApi = (file: string) => {
    const text = withoutComments(fs.readFileSync(path.join(root, file), 'utf8'));
    return SQLITE_ONLY_API.filter((pattern) => pattern.test(text)).map(String);
  };

  test('the rule sees what it forbids', () => {
    expect(SQLITE_ONLY_API.some((p) => p.test('db.select().from(users).get()'))).toBe(true);
    expect(SQLITE_ONLY_API.some((p) => p.test('db.$client.prepare(sql)'))).toBe(true);
    expect(SQLITE_ONLY_API.some((p) => p.test('cache.entries.get(key)'))).toBe(false);
    expect(withoutComments('// no $client here\nconst a = 1;')).not.toMatch(/\$client/);
  });

  test('query modules use only the builder API both dialects share (.get() .all() .run() $client execute() are SQLite- or pg-only)', () => {
    const found = queryModules
      .filter((f) => !SQLITE_ONLY_QUERY_MODULES.has(f))
      .flatMap((f) => usesSqliteApi(f).map((p) => `${f}: ${p}`));
    expect(found).toEqual([]);
  });
});
