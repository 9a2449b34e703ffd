// Regenerates lib/pdf/fonts/briefing-latin.ttf and briefing-latin-bold.ttf, the Latin fonts embedded in briefing PDFs:
// TrueType subsets of Debian's Noto Sans (fonts-noto-core, SIL Open Font License 1.1, no reserved font name), covering
// printable ASCII, Latin-1 and the marks in lib/pdf/font-coverage.ts.
//   npm run font:briefing
// Not needed at run time: the subsets are committed.
import fs from 'node:fs';
import path from 'node:path';
import subsetFont from 'subset-font';
import { latinFontCharacters } from '../../../lib/pdf/font-coverage';

const FOLDER = process.env.NOTO_DIR ?? '/usr/share/fonts/truetype/noto';
const FACES = [
  { source: 'NotoSans-Regular.ttf', out: 'briefing-latin.ttf' },
  { source: 'NotoSans-Bold.ttf', out: 'briefing-latin-bold.ttf' },
];

async function main() {
  for (const face of FACES) {
    const source = path.join(FOLDER, face.source);
    if (!fs.existsSync(source)) {
      console.error(`${source} not found: apt-get install fonts-noto-core (or set NOTO_DIR).`);
      process.exitCode = 1;
      return;
    }
    const out = path.resolve(import.meta.dirname, face.out);
    const subset = await subsetFont(fs.readFileSync(source), latinFontCharacters(), { targetFormat: 'truetype' });
    fs.writeFileSync(out, subset);
    console.log(`${path.relative(process.cwd(), out)}: ${(subset.length / 1024).toFixed(0)} KiB`);
  }
}

void main();
