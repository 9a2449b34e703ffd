// `npm run fit -- --data FILE.csv --spec SPEC.json [--out OUT.json]`: fits a spec on a CSV file and writes the
// result as JSON (to stdout without --out). Exits non-zero with a readable message on bad input.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { readCsv } from '../csv';
import { runSpec } from '../index';
import { ModelError } from '../types';

function main(): number {
  let values: { data?: string; spec?: string; out?: string };
  try {
    ({ values } = parseArgs({ options: { data: { type: 'string' }, spec: { type: 'string' }, out: { type: 'string' } } }));
  } catch (error) {
    console.error(`fit: ${(error as Error).message}\nUsage: npm run fit -- --data FILE.csv --spec SPEC.json [--out OUT.json]`);
    return 2;
  }
  if (!values.data || !values.spec) {
    console.error('Usage: npm run fit -- --data FILE.csv --spec SPEC.json [--out OUT.json]');
    return 2;
  }
  for (const file of [values.data, values.spec]) {
    if (!fs.existsSync(file)) {
      console.error(`fit: no such file: ${file}`);
      return 2;
    }
  }
  let spec: unknown;
  try {
    spec = JSON.parse(fs.readFileSync(values.spec, 'utf8'));
  } catch (error) {
    console.error(`fit: ${values.spec} is not valid JSON: ${(error as Error).message}`);
    return 2;
  }
  try {
    const started = performance.now();
    const result = runSpec(readCsv(fs.readFileSync(values.data, 'utf8')), spec);
    const text = JSON.stringify({ ...(result as object), engine: { name: 'lib/stats', time_s: (performance.now() - started) / 1000 } }, null, 2);
    if (values.out) fs.writeFileSync(values.out, `${text}\n`);
    else process.stdout.write(`${text}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ModelError) {
      console.error(`fit: ${error.code}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main();
