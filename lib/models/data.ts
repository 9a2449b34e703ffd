// Reads the rows a model request needs from SQLite into the statistics engine's columnar table. Used inside the
// model worker thread (its own read-only connection), so it takes a better-sqlite3 handle and has no 'server-only'.
import type Database from 'better-sqlite3';
import type { DataTable } from '../stats/types';
import { CITY_COLUMN, GROUP_COLUMN, requestVariables, type ModelRequest, type Subgroup } from './request';
import { GROUPING_SQL, VARIABLES_BY_ID } from './variables';

const AGE_BOUNDS: Record<string, [number, number]> = {
  '15-24': [15, 25],
  '25-34': [25, 35],
  '35-44': [35, 45],
  '45-59': [45, 60],
  '60+': [60, 200],
};

/** WHERE conditions (alias r respondents, c cities, p provinces) and their parameters for a subgroup. */
export function subgroupConditions(subgroup: Subgroup): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  if (subgroup.hukou !== 'all') sql.push(`r.rural_hukou = ${subgroup.hukou === 'rural' ? 1 : 0}`);
  if (subgroup.range !== 'all') {
    sql.push('r.migration_range = ?');
    params.push(subgroup.range);
  }
  if (subgroup.region !== 'all') {
    sql.push('p.region = ?');
    params.push(subgroup.region);
  }
  if (subgroup.tier !== 'all') {
    sql.push('c.tier = ?');
    params.push(subgroup.tier);
  }
  if (subgroup.cities.length > 0) {
    sql.push(`r.city_code IN (${subgroup.cities.map(() => '?').join(', ')})`);
    params.push(...subgroup.cities);
  }
  if (subgroup.sex !== 'all') sql.push(`r.male = ${subgroup.sex === 'male' ? 1 : 0}`);
  if (subgroup.ageBand !== 'all') {
    const [low, high] = AGE_BOUNDS[subgroup.ageBand] as [number, number];
    sql.push('r.age >= ? AND r.age < ?');
    params.push(low, high);
  }
  if (subgroup.generation !== 'all') sql.push(subgroup.generation === 'born_1980_plus' ? 'r.birth_year >= 1980' : 'r.birth_year < 1980');
  return { sql, params };
}

/** The subgroup's rows of the active wave with the request's variables, the city and (for heterogeneity) the group. */
export function loadModelTable(sqlite: Database.Database, datasetId: number, request: ModelRequest): DataTable {
  const variables = requestVariables(request);
  const select = variables.map((id) => `${VARIABLES_BY_ID.get(id)?.sql ?? `r.${id}`} AS "${id}"`);
  select.push(`r.city_code AS "${CITY_COLUMN}"`);
  if (request.groupBy) select.push(`${GROUPING_SQL[request.groupBy]} AS "${GROUP_COLUMN}"`);
  const conditions = subgroupConditions(request.subgroup);
  const statement = sqlite
    .prepare(
      `SELECT ${select.join(', ')} FROM respondents r JOIN cities c ON c.code = r.city_code JOIN provinces p ON p.code = c.province_code
       WHERE r.dataset_id = ? AND r.wave = ? ${conditions.sql.map((c) => `AND ${c}`).join(' ')} ORDER BY r.id`,
    )
    .raw(true);
  const rows = statement.all(datasetId, request.wave, ...conditions.params) as (string | number | null)[][];
  const names = [...variables, CITY_COLUMN, ...(request.groupBy ? [GROUP_COLUMN] : [])];
  const columns = new Map<string, Float64Array | (string | null)[]>();
  names.forEach((name, j) => {
    const isText = name === CITY_COLUMN || name === GROUP_COLUMN || VARIABLES_BY_ID.get(name)?.kind === 'factor';
    if (isText) columns.set(name, rows.map((row) => (row[j] === null ? null : String(row[j]))));
    else columns.set(name, Float64Array.from(rows, (row) => (row[j] === null ? Number.NaN : Number(row[j]))));
  });
  return { nrow: rows.length, columns };
}
