// Which model variables each wave of a dataset holds: a variable its design asks and that has at least one value in
// the wave's respondents. The model page offers these and the run action refuses others.
import 'server-only';
import { getSqliteDatabase } from '@/db/client';
import { MODEL_VARIABLES, VARIABLES_BY_ID, askedInWave, type Wave } from '@/lib/models/variables';

// A dataset version never changes once loaded, so its answer is kept (one full scan per wave, on first use).
const known = new Map<string, string[]>();

export function listModelVariablesInWave(datasetId: number, wave: Wave): string[] {
  const key = `${datasetId}:${wave}`;
  const cached = known.get(key);
  if (cached) return cached;
  const asked = MODEL_VARIABLES.filter((variable) => askedInWave(variable, wave));
  if (asked.length === 0) return [];
  const columns = asked.map((v, i) => `MAX((${VARIABLES_BY_ID.get(v.id)?.sql ?? `r.${v.id}`}) IS NOT NULL) AS v${i}`);
  const row = getSqliteDatabase().$client.prepare(`SELECT ${columns.join(', ')} FROM respondents r WHERE r.dataset_id = ? AND r.wave = ?`).get(datasetId, wave) as Record<string, number | null>;
  const present = asked.filter((_, i) => row[`v${i}`] === 1).map((v) => v.id);
  known.set(key, present);
  return present;
}
