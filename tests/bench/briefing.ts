// Benchmark of a city briefing: Shenzhen (440300), 2017, rural hukou, in Chinese and English, from query to PDF bytes,
// in process and through the render worker the route handler uses. Target: under 1.5 s per briefing once warm.
// Uses DATABASE_PATH (default data/dashboard.db, made by `npm run setup`). BRIEFING_OUT=folder keeps the PDFs.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// lib/queries import 'server-only', which throws outside a React server bundle; this script is trusted server code.
const require = createRequire(import.meta.url);
const serverOnly = require.resolve('server-only');
require.cache[serverOnly] = { id: serverOnly, filename: serverOnly, loaded: true, exports: {} } as NodeJS.Module;

const TARGET_S = 1.5;

async function main() {
  const { prepareCityBriefing } = await import('../../lib/pdf/prepare-briefing');
  // The compiled layout (dist/workers/render-briefing.mjs), the code the worker runs.
  const { workerDirectory } = await import('../../lib/jobs/worker-files');
  const { renderBriefingPdf } = (await import(pathToFileURL(path.join(workerDirectory(), 'render-briefing.mjs')).href)) as typeof import('../../lib/pdf/render-briefing');
  const { renderBriefingJob } = await import('../../lib/jobs/briefings');
  const { closeSharedPools } = await import('../../lib/jobs/threads');
  const out = process.env.BRIEFING_OUT;
  if (out) fs.mkdirSync(out, { recursive: true });
  const date = new Date();
  const line = (label: string, seconds: number, extra = '') =>
    console.log(`${label.padEnd(48)} ${seconds.toFixed(3).padStart(7)} s ${seconds < TARGET_S ? 'ok' : `SLOWER THAN ${TARGET_S} s`}${extra}`);
  for (const locale of ['zh', 'en'] as const) {
    for (const run of ['first', 'warm'] as const) {
      const started = performance.now();
      const prepared = await prepareCityBriefing({ cityCode: '440300', wave: 2017, hukou: 'rural', range: 'all', locale, date });
      if (!prepared.ok) throw new Error(`briefing not prepared: ${prepared.reason}`);
      const pdf = await renderBriefingPdf(prepared.model);
      line(`Shenzhen rural ${locale}, in process (${run})`, (performance.now() - started) / 1000, `  ${(pdf.length / 1024).toFixed(0)} KiB`);
      if (out && run === 'warm') fs.writeFileSync(path.join(out, `shenzhen-rural-${locale}.pdf`), pdf);
    }
  }
  for (const run of ['cold worker', 'warm worker'] as const) {
    const started = performance.now();
    const prepared = await prepareCityBriefing({ cityCode: '440300', wave: 2017, hukou: 'rural', range: 'all', locale: 'zh', date });
    if (!prepared.ok) throw new Error(prepared.reason);
    const pdf = await renderBriefingJob(prepared.model, 1);
    line(`Shenzhen rural zh, ${run}`, (performance.now() - started) / 1000, `  ${(pdf.length / 1024).toFixed(0)} KiB`);
  }
  await closeSharedPools();
}

void main();
