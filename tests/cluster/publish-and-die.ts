// Run by tests/cluster/publish.test.ts: publishes a version and kills itself (SIGKILL, as a lost machine or the OOM
// killer would) right after the table named by PUBLISH_DIE_AFTER is in, inside the open transaction.
import { openDatabase } from '@/db/client';
import { openPgDatabase } from '@/db/pg';
import { publishDatasetVersion } from '@/db/publish';

const sqlite = openDatabase(process.env.PUBLISH_DATABASE_PATH as string, { readonly: true });
const pg = openPgDatabase(process.env.PUBLISH_DATABASE_URL as string);
void publishDatasetVersion(sqlite, pg.$client, Number(process.env.PUBLISH_DATASET_ID), {
  onTable: (table, rows) => {
    console.log(`${table} ${rows}`);
    if (table === process.env.PUBLISH_DIE_AFTER) process.kill(process.pid, 'SIGKILL');
  },
});
