// `npm run export -- --wave 2014 --out module.csv [--db PATH] [--dataset ID]`: writes one wave's respondent microdata
// of the active dataset as CSV, for analysts who want to re-run the models in R or Stata.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { openDatabase } from './client';
import { ExportError, writeRespondentsCsv } from '../lib/export/respondents-csv';

const argumentsSchema = z.object({
  wave: z.coerce.number().int().min(2000).max(2100),
  out: z.string().min(1),
  db: z.string().min(1).optional(),
  dataset: z.coerce.number().int().positive().optional(),
});

function main(): void {
  const { values } = parseArgs({
    options: { wave: { type: 'string' }, out: { type: 'string' }, db: { type: 'string' }, dataset: { type: 'string' } },
    strict: true,
  });
  const parsed = argumentsSchema.safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ExportError(`${problems}\nUsage: npm run export -- --wave 2014 --out module.csv [--db PATH] [--dataset ID]`);
  }
  const { wave, out, dataset } = parsed.data;
  // lib/env is imported only when needed, so an explicit --db works even with an otherwise invalid environment.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous, deferred load (see above)
  const databasePath = parsed.data.db ?? (require('../lib/env') as typeof import('../lib/env')).env.DATABASE_PATH;
  if (!fs.existsSync(databasePath)) throw new ExportError(`Database not found: ${databasePath} (run \`npm run setup\` or pass --db PATH).`);

  const db = openDatabase(databasePath, { readonly: true });
  const started = Date.now();
  const temporaryPath = `${out}.partial`;
  const fd = fs.openSync(temporaryPath, 'w');
  try {
    const summary = writeRespondentsCsv(db, { wave, datasetId: dataset }, (chunk) => fs.writeSync(fd, chunk));
    fs.closeSync(fd);
    // Renamed only when complete, so a failed export never leaves a truncated file under the requested name.
    fs.renameSync(temporaryPath, out);
    console.log(`Wrote ${summary.rows} respondents x ${summary.columns.length} columns of wave ${wave} (dataset ${summary.datasetId}) to ${out} in ${Date.now() - started} ms.`);
  } catch (error) {
    try {
      fs.closeSync(fd);
    } catch {
      // already closed before the rename failed
    }
    fs.rmSync(temporaryPath, { force: true });
    throw error;
  } finally {
    db.$client.close();
  }
}

try {
  main();
} catch (error) {
  console.error(error instanceof ExportError ? `export: ${error.message}` : error);
  process.exitCode = 1;
}
