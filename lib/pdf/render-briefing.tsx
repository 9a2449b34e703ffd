// Renders a BriefingModel to PDF bytes. Called inside the briefing worker (lib/jobs/entries/briefing.ts) by the app, and
// directly by tests and the benchmark. Deterministic: the creation date is the briefing's date, not the clock.
import { renderToBuffer } from '@react-pdf/renderer';
import type { BriefingModel } from './briefing-model';
import { BriefingDocument } from './briefing-document';
import { prepareBriefingFonts } from './fonts';

// Documents render one at a time in a process: each gets fresh font instances (prepareBriefingFonts), which must not
// be swapped out under a document still being laid out.
let previous: Promise<unknown> = Promise.resolve();

export function renderBriefingPdf(model: BriefingModel): Promise<Buffer> {
  const rendered = previous.then(() => {
    prepareBriefingFonts();
    return renderToBuffer(<BriefingDocument model={model} />);
  });
  previous = rendered.catch(() => undefined);
  return rendered;
}
