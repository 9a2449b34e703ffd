// `npm run test:e2e:pg`: the browser and security suites again, each suite's server on the cluster back end
// (E2E_BACKEND=pg: a throwaway PostgreSQL with the published dataset and the accounts, and one worker process; see
// tests/security/support.ts). Where PostgreSQL cannot start here, the run is skipped with the reason printed (CI
// installs Debian's postgresql, so there it runs). Extra arguments go to vitest (e.g. one file, or `-t name`).
import { spawnSync } from 'node:child_process';
import { startPostgres } from '../support/postgres';

/**
 * The suites run in pg mode: those that pass there (each checked with this script). Left out, with the reason:
 * - tests/cluster/*.e2e.test.ts: they start their own PostgreSQL whatever the mode, and already run in `test:e2e`.
 */
const PG_SUITES = [
  'tests/security/',
  'tests/e2e/auth.test.ts',
  'tests/e2e/models.test.ts',
  'tests/e2e/briefing.test.ts',
  'tests/e2e/compare.test.ts',
  'tests/e2e/downloads.test.ts',
  'tests/e2e/equity.test.ts',
  'tests/e2e/trends-map.test.ts',
  'tests/e2e/polish.test.ts',
  'tests/e2e/accessibility.test.ts',
  'tests/e2e/i18n-identifiers.test.ts',
  'tests/e2e/import.test.ts',
  'tests/disclosure/browser-attack.e2e.test.ts',
  'tests/disclosure/legend.e2e.test.ts',
];

async function main(): Promise<void> {
  const probe = await startPostgres();
  if (!probe.ok) {
    console.warn(`[e2e on PostgreSQL] skipped: PostgreSQL cannot start here: ${probe.reason}`);
    return;
  }
  probe.pg.stop();
  const files = process.argv.length > 2 ? process.argv.slice(2) : PG_SUITES;
  const run = spawnSync('npx', ['vitest', 'run', '--config', 'vitest.e2e.config.mts', ...files], { stdio: 'inherit', env: { ...process.env, E2E_BACKEND: 'pg' } });
  process.exitCode = run.status ?? 1;
}

void main();
