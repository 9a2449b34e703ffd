// `npm run import -- FILE [--mapping MAP.json|cmds-2017|cmds-2018] [--dry-run] [--encoding auto|utf-8|gb18030]
// [--allow-missing VAR[,VAR…]] [--db PATH] [--user NAME]`: checks a CMDS survey file against a codebook mapping and,
// without --dry-run, loads it as a new dataset version that becomes active only when the whole load has committed.
// --json prints one JSON result line on stdout. The admin page runs the same checked pass as import jobs
// (lib/jobs/import-job.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { decodeMappingBytes, MappingError, parseMapping } from '../lib/import/mapping';
import { notPublishedProblem, type ImportProblem, type ImportReport } from '../lib/import/process';
import { TEXT_ENCODINGS } from '../lib/import/text';

const USAGE =
  'Usage: npm run import -- FILE [--mapping MAP.json|cmds-2017|cmds-2018] [--dry-run] [--encoding auto|utf-8|gb18030] [--allow-missing VAR[,VAR…]] [--db PATH] [--user NAME]';

const argumentsSchema = z.object({
  file: z.string({ error: 'give the survey file to import' }).min(1, 'give the survey file to import'),
  mapping: z.string().min(1).default('cmds-2017'),
  'dry-run': z.boolean().default(false),
  encoding: z.enum(['auto', ...TEXT_ENCODINGS]).default('auto'),
  // Mapped optional variables the file may lack (file or canonical names, repeatable or comma-separated).
  'allow-missing': z.array(z.string().min(1).max(200)).default([]),
  db: z.string().min(1).optional(),
  user: z.string().min(1).max(60).default(`cli:${os.userInfo().username}`),
  // Used by the admin page: the signed-in user's id, the uploaded file's own name, the mapping's name, JSON output.
  'user-id': z.coerce.number().int().positive().optional(),
  name: z.string().min(1).max(255).optional(),
  'mapping-name': z.string().min(1).max(255).optional(),
  json: z.boolean().default(false),
});

class UsageError extends Error {}

function mappingPath(value: string): string {
  if (/^[\w-]+$/.test(value)) return path.join(__dirname, '..', 'lib', 'import', 'mappings', `${value}.json`);
  return value;
}

function printProblems(problems: ImportProblem[]): void {
  for (const problem of problems) console.log(`  ${problem.severity === 'error' ? 'ERROR  ' : 'warning'} ${problem.message}`);
}

function printReport(report: ImportReport): void {
  console.log(`${report.fileName}: ${report.format}, ${report.encoding}, ${report.rowCount.toLocaleString('en')} rows, ${report.validRows.toLocaleString('en')} loadable`);
  console.log(`waves: ${Object.entries(report.waves).map(([w, n]) => `${w} (${n.toLocaleString('en')})`).join(', ') || 'none'}`);
  console.log(`${'variable'.padEnd(24)} ${'file variable'.padEnd(14)} ${'mapped'.padStart(8)} ${'missing'.padStart(8)} ${'unknown'.padStart(8)} ${'range'.padStart(6)} ${'invalid'.padStart(7)}  missing codes`);
  for (const v of report.variables) {
    const unknown = Object.values(v.unknownCodes).reduce((a, b) => a + b, 0);
    const codes = Object.entries(v.missingCodes).map(([code, n]) => `${code}: ${n}`).join(', ');
    console.log(
      `${v.variable.padEnd(24)} ${(v.source ?? '(constant)').padEnd(14)} ${String(v.mapped).padStart(8)} ${String(v.missing).padStart(8)} ${String(unknown).padStart(8)} ${String(v.outOfRange).padStart(6)} ${String(v.invalid).padStart(7)}  ${v.inFile ? codes : 'not in file'}`,
    );
  }
  if (report.derived.length) console.log(`derived: ${report.derived.join(', ')}`);
  if (report.unmappedFileVariables.length) console.log(`file variables not in the mapping: ${report.unmappedFileVariables.join(', ')}`);
  if (report.preview.rows.length) {
    console.log(`first ${report.preview.rows.length} rows:`);
    for (const row of report.preview.rows.slice(0, 5)) console.log(`  ${JSON.stringify(row)}`);
  }
  if (report.problems.length) {
    console.log('problems:');
    printProblems(report.problems);
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: {
      mapping: { type: 'string' },
      'dry-run': { type: 'boolean' },
      encoding: { type: 'string' },
      'allow-missing': { type: 'string', multiple: true },
      db: { type: 'string' },
      user: { type: 'string' },
      'user-id': { type: 'string' },
      name: { type: 'string' },
      'mapping-name': { type: 'string' },
      json: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  const parsed = argumentsSchema.safeParse({ ...values, file: positionals[0] });
  if (!parsed.success || positionals.length > 1) {
    const problems = parsed.success ? 'give one file' : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new UsageError(`${problems}\n${USAGE}`);
  }
  const args = parsed.data;
  if (!fs.existsSync(args.file)) throw new UsageError(`File not found: ${args.file}`);
  const mapFile = mappingPath(args.mapping);
  if (!fs.existsSync(mapFile)) throw new UsageError(`Mapping not found: ${mapFile}`);
  const mapping = parseMapping(decodeMappingBytes(fs.readFileSync(mapFile), path.basename(mapFile)), path.basename(mapFile));
  // Imported late so that --db works even when the environment names another database.
  if (args.db) process.env.DATABASE_PATH = args.db;
  const { env } = await import('../lib/env');
  const { openDatabase } = await import('./client');
  const { applyMigrations } = await import('./migrate');
  const { dryRunImport, importSurveyFile, ImportRefused } = await import('../lib/import/dataset-import');
  const { clusterIdFloors, publishActiveVersionToCluster } = await import('./publish');

  const db = openDatabase(env.DATABASE_PATH);
  applyMigrations(db);
  const allowMissing = args['allow-missing'].flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
  // A path, not the bytes: the import reads the file itself and lets it go before the indicators run.
  const input = { fileName: args.name ?? path.basename(args.file), filePath: args.file, mapping, encoding: args.encoding, allowMissing };
  // With --json the human-readable lines are left out and the result is one JSON line on stdout.
  const say = args.json ? () => undefined : (line: string) => console.log(line);
  // CPU time of this process goes with the result: on a shared machine it says more than the wall-clock time.
  const cpuMs = () => {
    const usage = process.cpuUsage();
    return Math.round((usage.user + usage.system) / 1000);
  };
  const result = (value: object) => args.json && process.stdout.write(`${JSON.stringify({ ...value, cpuMs: cpuMs() })}\n`);
  try {
    if (args['dry-run']) {
      const outcome = dryRunImport(db, input);
      result(outcome);
      say(`sha256 ${outcome.checksum}`);
      if (!outcome.ok) {
        if (!args.json) printProblems(outcome.problems);
        return 1;
      }
      if (!args.json) printReport(outcome.report);
      say(outcome.report.canImport ? 'Dry run passed: nothing was written. Run again without --dry-run to import.' : 'Dry run found errors: the file cannot be imported as it is.');
      return outcome.report.canImport ? 0 : 1;
    }
    let lastPercent = -1;
    const outcome = importSurveyFile(db, {
      ...input,
      idFloors: await clusterIdFloors(),
      mappingName: args['mapping-name'] ?? path.basename(mapFile),
      importer: { id: args['user-id'] ?? null, name: args.user },
      onProgress: (stage, done, total) => {
        const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
        if (stage === 'rows' && percent >= lastPercent + 10) {
          lastPercent = percent;
          say(`  rows: ${done.toLocaleString('en')} / ${total.toLocaleString('en')}`);
        }
        if (stage === 'load' && done === total) say(`  loaded ${total.toLocaleString('en')} rows into the new version`);
        if (stage === 'indicators' && done === 0) say('  computing indicators …');
      },
    });
    say(
      `Imported ${outcome.report.validRows.toLocaleString('en')} respondents from ${input.fileName} as dataset #${outcome.datasetId} (now active), ` +
        `${outcome.indicatorCells.toLocaleString('en')} indicator cells, in ${(outcome.ms / 1000).toFixed(1)} s. sha256 ${outcome.checksum}`,
    );
    // The cluster back end reads the dataset from PostgreSQL: publish the new version there (its own transaction;
    // if it fails, PostgreSQL keeps its active version and `npm run setup` publishes this one again).
    let published: { ms: number } | null;
    try {
      published = await publishActiveVersionToCluster(db, say);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      result({ ok: false, datasetId: outcome.datasetId, problems: [notPublishedProblem(input.fileName, message)] });
      console.error(`Imported into ${env.DATABASE_PATH}, but publishing into PostgreSQL failed (its active dataset is unchanged): ${message}\nRun \`npm run setup\` with DATABASE_URL to publish it again.`);
      return 1;
    }
    result({ ok: true, datasetId: outcome.datasetId, checksum: outcome.checksum, rows: outcome.report.validRows, indicatorCells: outcome.indicatorCells, ms: outcome.ms, steps: outcome.steps, ...(published ? { publishMs: published.ms } : {}) });
    return 0;
  } catch (error) {
    if (error instanceof ImportRefused) {
      result({ ok: false, problems: error.problems });
      if (!args.json) {
        console.error(`import refused; the active dataset is unchanged:`);
        for (const problem of error.problems.filter((p) => p.severity === 'error')) console.error(`  ${problem.message}`);
      }
      return 1;
    }
    throw error;
  } finally {
    // A dry run leaves even the file's pages as they were.
    if (!args['dry-run']) db.$client.pragma('wal_checkpoint(PASSIVE)');
    db.$client.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof MappingError) {
      console.error(`import: ${error.message}`);
      process.exitCode = 2;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  },
);
