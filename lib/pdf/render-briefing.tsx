// Renders a BriefingModel to PDF bytes. Called inside the briefing worker (lib/jobs/entries/briefing.ts) by the app, and
// directly by tests and the benchmark. Deterministic: the creation date is the briefing's date, not the clock.
import { renderToBuffer } from '@react-pdf/renderer';
import type { BriefingModel } from './briefing-model';
import { BriefingDocument } from './briefing-document';
import { registerBriefingFonts } from './fonts';

export async function renderBriefingPdf(model: BriefingModel): Promise<Buffer> {
  registerBriefingFonts();
  return renderToBuffer(<BriefingDocument model={model} />);
}
