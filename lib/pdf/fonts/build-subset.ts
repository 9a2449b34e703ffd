// Regenerates lib/pdf/fonts/briefing-sc.ttf, the Chinese font embedded in briefing PDFs: a TrueType subset of Debian's
// Droid Sans Fallback (fonts-droid-fallback, Apache-2.0) covering the message catalogues, the indicator catalogue,
// every city and province name, the model variables and interpretation sentences, and a few hundred common hanzi. Run after adding Chinese text:
//   npm run font:briefing
// Not needed at run time: the subset is committed.
import fs from 'node:fs';
import path from 'node:path';
import subsetFont from 'subset-font';
import { CITIES, PROVINCES } from '../../../db/geography';
import { INDICATORS } from '../../../lib/indicators/catalogue';
import { MODEL_VARIABLES } from '../../../lib/models/variables';
import { CJK_PUNCTUATION, COMMON_HANZI, charactersNeedingEmbeddedFont } from '../../../lib/pdf/font-coverage';
import en from '../../../lib/i18n/messages/en.json';
import zh from '../../../lib/i18n/messages/zh.json';

const SOURCE = process.env.DROID_FALLBACK_TTF ?? '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf';
const OUT = path.resolve(import.meta.dirname, 'briefing-sc.ttf');

async function main() {
  if (!fs.existsSync(SOURCE)) {
    console.error(`${SOURCE} not found: apt-get install fonts-droid-fallback (or set DROID_FALLBACK_TTF).`);
    process.exitCode = 1;
    return;
  }
  const texts = [
    ...Object.values(zh),
    ...Object.values(en),
    ...INDICATORS.flatMap((i) => [i.labelZh, i.unitZh, i.labelEn, i.unitEn]),
    ...PROVINCES.flatMap((p) => [p.nameZh, p.nameEn]),
    ...CITIES.flatMap((c) => [c.nameZh, c.nameEn]),
    // Model findings in briefings: the variables' labels and the interpretation sentences' wording.
    ...MODEL_VARIABLES.flatMap((v) => [v.zh, v.en]),
    fs.readFileSync(path.resolve(import.meta.dirname, '..', '..', 'models', 'interpret.ts'), 'utf8'),
    CJK_PUNCTUATION,
    COMMON_HANZI,
  ];
  const characters = charactersNeedingEmbeddedFont(texts).join('');
  const subset = await subsetFont(fs.readFileSync(SOURCE), characters, { targetFormat: 'truetype' });
  fs.writeFileSync(OUT, subset);
  console.log(`${path.relative(process.cwd(), OUT)}: ${[...characters].length} characters, ${(subset.length / 1024).toFixed(0)} KiB`);
}

void main();
