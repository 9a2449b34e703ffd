// Worker entry for briefing jobs (compiled to dist/workers/briefing.mjs): lays out a BriefingModel and answers with
// the PDF's bytes, moved rather than copied to the server thread. It reads no database: the model carries everything.
import { renderBriefingPdf } from '../../pdf/render-briefing';
import type { BriefingPayload } from '../payloads';
import { serveJobs } from '../worker-runtime';

serveJobs(
  // A copy that owns its memory, so that it can be transferred.
  async ({ model }: BriefingPayload) => new Uint8Array(await renderBriefingPdf(model)),
  (bytes) => [(bytes as Uint8Array).buffer as ArrayBuffer],
);
