// The import's audit entries, written synchronously inside its own SQLite transactions (lib/import/dataset-import.ts:
// an import is never active without its audit entry). SQLite-only on purpose: the import runs on this machine's file;
// listed as such in tests/architecture.test.ts. Everything else audits through audit.ts.
import 'server-only';
import type { AppDatabase } from '@/db/client';
import { auditLog } from '@/db/schema';
import type { AuditEntry } from './audit';

export function recordAuditInSqliteTransaction(db: AppDatabase, entry: AuditEntry): void {
  // On the cluster the accounts live in PostgreSQL, so the importer may have no row in this file's users table (the
  // foreign key would refuse the entry): the name is kept, and publishing copies the entry with the id
  // (db/publish.ts).
  const knownUser = entry.userId != null && db.$client.prepare('SELECT 1 FROM users WHERE id = ?').get(entry.userId) !== undefined;
  db.insert(auditLog)
    .values({ userId: knownUser ? entry.userId : null, username: entry.username ?? null, action: entry.action, target: entry.target ?? null, detail: entry.detail ?? null, durationMs: entry.durationMs ?? null })
    .run();
}
