// The identity of the active dataset version (its id and activation time): the key under which page queries and
// rendered pages are cached. A new activation, even of the same version again, is a new identity.
import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { AppDatabase } from '@/db/client';
import { datasets } from '@/db/schema';

export function activeVersionIdentity(db: AppDatabase): string | null {
  const row = db
    .select({ id: datasets.id, activatedAt: datasets.activatedAt })
    .from(datasets)
    .where(and(eq(datasets.active, true), eq(datasets.status, 'ready')))
    .get();
  return row ? `${row.id}@${row.activatedAt?.getTime() ?? 0}` : null;
}
