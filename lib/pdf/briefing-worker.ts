// The render worker: receives a BriefingModel, answers with the PDF bytes. Runs in a worker_threads Worker (started by
// lib/pdf/render-pool.ts through briefing-worker.mjs) so that layout, font shaping and compression never block the
// server's request thread. It reads no database: the model carries everything.
import { parentPort } from 'node:worker_threads';
import type { BriefingModel } from './briefing-model';
import { renderBriefingPdf } from './render-briefing';

interface Job {
  id: number;
  model: BriefingModel;
}

parentPort?.on('message', async ({ id, model }: Job) => {
  try {
    const pdf = await renderBriefingPdf(model);
    // A copy that owns its memory, so it can be transferred rather than cloned.
    const bytes = new Uint8Array(pdf);
    parentPort?.postMessage({ id, ok: true, bytes }, [bytes.buffer]);
  } catch (error) {
    parentPort?.postMessage({ id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
