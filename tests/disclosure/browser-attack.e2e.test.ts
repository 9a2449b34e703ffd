// A differencing attacker with a viewer account who reads only what the browser receives: the comparison page's HTML
// and its RSC flight payload, and the map's province table, for every indicator x hukou x migration range x wave. From
// the published estimates and population shares it tries every within-city relation (all hukou = rural + urban, all
// ranges = the three ranges), every province (the weighted sum of its cities) and the provinces' own hukou and range
// margins, solving singletons exactly and bounding the rest by interval propagation. No hidden cell may be pinned to within
// +-2.5 points (2.5% of a score's range). Also: hidden cells carry no number, and no number is more precise than shown.
// A viewer does not see the weights of hidden cells; to be safe the attacker is handed the true weighted totals of
// every cell from the database (and uses the published shares' derivation only as a cross-check).
import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { auditSuppressedIntervals, type AdditiveRelation, type SuppressionCell } from '@/lib/disclosure/secondary-suppression';
import { INDICATORS, indicatorScale } from '@/lib/indicators/catalogue';
import { newPage, signIn, startSuiteServer, useBrowser } from '../e2e/support';

const { baseUrl, databasePath } = await startSuiteServer();
const browser = useBrowser();

/** True weighted totals (sum of weights of respondents with an answer) of every city x hukou x range cell, and of every
 * province ('p' + code, the sum of its cities). */
function trueWeights(indicator: (typeof INDICATORS)[number], wave: number): Map<string, number> {
  const db = new Database(databasePath, { readonly: true });
  const rows = db
    .prepare(
      `SELECT city_code AS city, rural_hukou AS rural, migration_range AS range, SUM(weight) AS w FROM respondents r
       JOIN datasets d ON d.id = r.dataset_id AND d.active = 1
       WHERE wave = ? AND "${indicator.variable}" IS NOT NULL GROUP BY city_code, rural_hukou, migration_range`,
    )
    .all(wave) as Array<{ city: string; rural: number | null; range: string | null; w: number }>;
  db.close();
  const weights = new Map<string, number>();
  const add = (key: string, w: number) => weights.set(key, (weights.get(key) ?? 0) + w);
  for (const row of rows) {
    const hukous = row.rural === 1 ? ['all', 'rural'] : row.rural === 0 ? ['all', 'urban'] : ['all'];
    const ranges = row.range ? ['all', row.range] : ['all'];
    for (const h of hukous) {
      for (const r of ranges) {
        add(`${row.city}|${h}|${r}`, row.w);
        add(`p${row.city.slice(0, 2)}|${h}|${r}`, row.w);
      }
    }
  }
  return weights;
}

const HUKOU = ['all', 'rural', 'urban'] as const;
const RANGES = ['all', 'inter_province', 'inter_city', 'inter_county'] as const;

interface SeenCell {
  status: string;
  estimate: number | null;
  share: number | null;
  n: number | null;
  /** A hidden province shown as a range on the map ("20–30%"): the attacker knows it lies within. */
  band?: [number, number];
}

/** The flight payload inlined in the HTML (self.__next_f.push([1, "..."]) chunks), as one string. */
function inlineFlight(html: string): string {
  const chunks: string[] = [];
  for (const match of html.matchAll(/self\.__next_f\.push\((\[[\s\S]*?\])\)<\/script>/g)) {
    const parsed = JSON.parse(match[1] as string) as unknown[];
    if (parsed[0] === 1 && typeof parsed[1] === 'string') chunks.push(parsed[1]);
  }
  return chunks.join('');
}

/** The comparison table's rows as the client component receives them. */
function tableRows(flight: string): Map<string, SeenCell> {
  const rows = new Map<string, SeenCell>();
  const pattern = /\{"key":"(\d{6})",(?:"rank":(?:null|\d+),)?"href":"[^"]*","name":"[^"]*","province":"[^"]*","estimate":(null|-?[\d.e+-]+),"estimateText":"[^"]*","ciText":"[^"]*","n":(null|\d+),"nText":"[^"]*","share":(null|[\d.e+-]+),"shareText":"[^"]*","status":"(\w+)"/g;
  for (const m of flight.matchAll(pattern)) {
    rows.set(m[1] as string, { estimate: m[2] === 'null' ? null : Number(m[2]), n: m[3] === 'null' ? null : Number(m[3]), share: m[4] === 'null' ? null : Number(m[4]), status: m[5] as string });
  }
  return rows;
}

/** The map's province table (server-rendered rows): estimate as printed, or hidden. */
function provinceRows(html: string, kind: string): Map<string, SeenCell> {
  const rows = new Map<string, SeenCell>();
  for (const m of html.matchAll(/<tr[^>]*data-testid="map-row-(\d{2})"[^>]*>([\s\S]*?)<\/tr>/g)) {
    const cells = [...(m[2] as string).matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => (c[1] as string).replace(/<[^>]+>/g, ''));
    const printed = (cells[0] ?? '').replace(/[()%,]/g, '');
    const hidden = cells.length === 1 || !/^-?\d+(\.\d+)?$/.test(printed);
    const estimate = hidden ? null : kind === 'proportion' ? Number(printed) / 100 : Number(printed);
    const range = /^(-?\d+(?:\.\d+)?)–(-?\d+(?:\.\d+)?)$/.exec(printed);
    const scale = kind === 'proportion' ? 100 : 1;
    const band: [number, number] | undefined = hidden && range ? [Number(range[1]) / scale, Number(range[2]) / scale] : undefined;
    rows.set(`p${m[1]}`, { status: hidden ? 'secondary' : 'published', estimate, share: null, n: null, ...(band ? { band } : {}) });
  }
  return rows;
}

describe('differencing attack on what a viewer receives', () => {
  test('recovers no hidden cell of any indicator x hukou x range x wave, and nothing is sent more precisely than shown', async () => {
    const page = await newPage(browser(), 'en-GB');
    await signIn(page, baseUrl, 'viewer');
    await page.getByTestId('signed-in-user').waitFor();
    const request = page.context().request;
    // Every wave an indicator has cells in (the catalogue is wave-agnostic: the data decide).
    const stored = new Database(databasePath, { readonly: true });
    const indicatorWaves = stored.prepare('SELECT DISTINCT indicator, wave FROM indicators').all() as Array<{ indicator: string; wave: number }>;
    stored.close();
    let hiddenSeen = 0;
    let provincesSeen = 0;
    let rangesSeen = 0;
    let attacked = 0;
    const recovered: string[] = [];
    for (const definition of INDICATORS) {
      for (const wave of indicatorWaves.filter((r) => r.indicator === definition.key).map((r) => r.wave).sort()) {
        const [lower, upper] = indicatorScale(definition);
        const cells = new Map<string, SeenCell>(); // city|hukou|range
        for (const hukou of HUKOU) {
          for (const range of RANGES) {
            const url = `${baseUrl}/compare?indicator=${definition.key}&wave=${wave}&hukou=${hukou}&range=${range}`;
            const html = await (await request.get(url)).text();
            const rsc = await (await request.get(url, { headers: { RSC: '1' } })).text();
            const fromHtml = tableRows(inlineFlight(html));
            const fromRsc = tableRows(rsc);
            expect(fromHtml.size, url).toBeGreaterThan(0);
            expect(fromRsc.size, `${url} (RSC)`).toBe(fromHtml.size);
            // Precision: proportions to 0.001 (0.1 point), means to 0.1, shares to 0.001; nothing finer anywhere.
            const decimals = definition.kind === 'proportion' ? 3 : 1;
            for (const payload of [inlineFlight(html), rsc]) {
              for (const m of payload.matchAll(/"(estimate|low|high|share|benchmark|ciLow|ciHigh)":(-?\d+\.(\d+))/g)) {
                const allowed = m[1] === 'share' ? 3 : decimals;
                expect((m[3] as string).length, `${m[1]}=${m[2]} in ${url}`).toBeLessThanOrEqual(allowed);
              }
              expect(payload, url).not.toMatch(/\d\.\d{7,}/);
            }
            // The map's province table under the same filters (the province layer is the map's default).
            const mapHtml = await (await request.get(`${baseUrl}/map?indicator=${definition.key}&wave=${wave}&hukou=${hukou}&range=${range}`)).text();
            const provinces = provinceRows(mapHtml, definition.kind);
            for (const [province, cell] of provinces) {
              if (cell.status === 'published') provincesSeen++;
              if (cell.band) rangesSeen++;
              cells.set(`${province}|${hukou}|${range}`, cell);
            }
            for (const [city, cell] of fromHtml) {
              if (cell.status !== 'published') {
                hiddenSeen++;
                expect([cell.estimate, cell.share, cell.n], `${city} ${hukou} ${range} ${url}`).toEqual([null, null, null]);
              }
              cells.set(`${city}|${hukou}|${range}`, cell);
            }
          }
        }
        // Where every province of a slice is hidden, the map lists cities instead: those province cells are unknowns
        // (a missing member would otherwise make a margin claim total = the remaining members).
        const provinceCodes = [...new Set([...cells.keys()].filter((k) => k.startsWith('p')).map((k) => k.split('|')[0] as string))];
        for (const province of provinceCodes) {
          for (const hukou of HUKOU) for (const range of RANGES) if (!cells.has(`${province}|${hukou}|${range}`)) cells.set(`${province}|${hukou}|${range}`, { status: 'secondary', estimate: null, share: null, n: null });
        }
        // The attacker's table: published (rounded) estimates, true weights.
        const keys = [...cells.keys()];
        const index = new Map(keys.map((k, i) => [k, i]));
        const weights = trueWeights(definition, wave);
        const relations: AdditiveRelation[] = [];
        const geos = [...new Set(keys.map((k) => k.split('|')[0] as string))];
        const cities = geos.filter((g) => !g.startsWith('p'));
        // Province = weighted sum of its cities, in every hukou x range slice.
        for (const province of geos.filter((g) => g.startsWith('p'))) {
          for (const h of HUKOU) {
            for (const r of RANGES) {
              const total = index.get(`${province}|${h}|${r}`);
              const members = cities.filter((c) => c.startsWith(province.slice(1))).map((c) => index.get(`${c}|${h}|${r}`));
              if (total !== undefined) relations.push({ total, members: members.filter((i): i is number => i !== undefined) });
            }
          }
        }
        for (const city of geos) {
          const at = (h: string, r: string) => index.get(`${city}|${h}|${r}`);
          for (const r of RANGES) relations.push({ total: at('all', r) as number, members: [at('rural', r), at('urban', r)].filter((i): i is number => i !== undefined) });
          for (const h of HUKOU) relations.push({ total: at(h, 'all') as number, members: RANGES.slice(1).map((r) => at(h, r)).filter((i): i is number => i !== undefined) });
        }
        const known = relations.filter((r) => r.total !== undefined && r.members.length > 0);
        // A published figure is known to within half its last printed digit; a hidden one only within the scale.
        const half = definition.kind === 'proportion' ? 0.0005 : 0.05;
        const table: SuppressionCell[] = keys.map((k) => {
          const cell = cells.get(k) as SeenCell;
          const shown = cell.status === 'published' && cell.estimate !== null;
          return {
            value: null,
            weight: weights.get(k) ?? 0,
            lower: shown ? Math.max(lower, (cell.estimate as number) - half) : (cell.band?.[0] ?? lower),
            upper: shown ? Math.min(upper, (cell.estimate as number) + half) : (cell.band?.[1] ?? upper),
            primary: cell.status !== 'published',
          };
        });
        // Every cell is an unknown within its bounds, so rounding can never make the system inconsistent.
        const intervals = auditSuppressedIntervals(table, known, table.map(() => true));
        const needed = (2 * 2.5 * (upper - lower)) / 100;
        keys.forEach((key, i) => {
          const interval = intervals[i];
          if (!interval || (table[i] as SuppressionCell).weight <= 0 || (cells.get(key) as SeenCell).status === 'published') return;
          // A province hidden only to protect its cities carries no interval of its own (lib/disclosure); its cities do.
          if (key.startsWith('p')) return;
          attacked++;
          if (interval[1] - interval[0] < needed - 1e-9) recovered.push(`${definition.key} ${wave} ${key}: [${interval[0].toFixed(4)}, ${interval[1].toFixed(4)}]`);
        });
      }
    }
    console.log(`browser attacker: ${hiddenSeen} hidden table rows seen, ${provincesSeen} published province cells and ${rangesSeen} province ranges read, ${attacked} hidden city cells attacked, ${recovered.length} recovered`);
    expect(hiddenSeen).toBeGreaterThan(0);
    expect(provincesSeen).toBeGreaterThan(1000);
    // Partial suppression is attacked too: the ranges the map prints for hidden provinces are bounds to the attacker.
    expect(rangesSeen).toBeGreaterThan(1000);
    expect(attacked).toBeGreaterThan(0);
    expect(recovered).toEqual([]);
    // About 2,000 pages: the comparison's HTML and RSC payload and the map, per indicator x wave x hukou x range.
  }, 1_800_000);
});
