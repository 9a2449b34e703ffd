// The identity of the active dataset version (its id and activation time): the key under which page queries and
// rendered pages are cached. A new activation, even of the same version again, is a new identity.
import 'server-only';
import { and, eq } from 'drizzle-orm';
import { storeOf, type Database } from '@/db/store';

export async function activeVersionIdentity(db: Database): Promise<string | null> {
  const { q, datasets } = storeOf(db);
  const [row] = await q
    .select({ id: datasets.id, activatedAt: datasets.activatedAt })
    .from(datasets)
    .where(and(eq(datasets.active, true), eq(datasets.status, 'ready')))
    .limit(1);
  return row ? `${row.id}@${row.activatedAt?.getTime() ?? 0}` : null;
}
