// Which model variables each wave of a dataset holds: a variable its design asks and that has at least one value in
// the wave's respondents. The model page offers these and the run action refuses others.
import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import { storeOf } from '@/db/store';
import { MODEL_VARIABLES, VARIABLES_BY_ID, askedInWave, type Wave } from '@/lib/models/variables';
import { getDatabase } from './database';

// A dataset version never changes once loaded, so its answer is kept (one full scan per wave, on first use).
const known = new Map<string, string[]>();

export async function listModelVariablesInWave(datasetId: number, wave: Wave): Promise<string[]> {
  const key = `${datasetId}:${wave}`;
  const cached = known.get(key);
  if (cached) return cached;
  const asked = MODEL_VARIABLES.filter((variable) => askedInWave(variable, wave));
  if (asked.length === 0) return [];
  const { q, respondents } = storeOf(getDatabase());
  // The variables' SQL names the respondents table `r` (lib/models/variables.ts); here it is the table itself. A CASE
  // rather than MAX over a comparison, which PostgreSQL (booleans) and SQLite (0/1) answer differently.
  const present = (expression: string) => sql<number | null>`MAX(CASE WHEN (${sql.raw(expression.replace(/\br\./g, '"respondents".'))}) IS NOT NULL THEN 1 ELSE 0 END)`.mapWith(Number);
  const columns = Object.fromEntries(asked.map((v, i) => [`v${i}`, present(VARIABLES_BY_ID.get(v.id)?.sql ?? `r.${v.id}`)]));
  const [row] = await q.select(columns).from(respondents).where(and(eq(respondents.datasetId, datasetId), eq(respondents.wave, wave)));
  const found = asked.filter((_, i) => row?.[`v${i}`] === 1).map((v) => v.id);
  known.set(key, found);
  return found;
}
