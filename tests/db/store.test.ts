// The store convention on SQLite (db/store.ts): storeOf gives the SQLite tables and a builder that the query functions
// await; inTransaction commits together, rolls back together, runs one transaction at a time on the shared
// connection, lets a nested call join the outer one, and refuses a body that yields to the event loop (another
// request's statements would otherwise land inside it).
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openDatabase, type AppDatabase } from '@/db/client';
import { applyMigrations } from '@/db/migrate';
import { dialectOf, inTransaction, storeOf, type Database } from '@/db/store';

let db: AppDatabase;
beforeEach(() => {
  db = openDatabase(':memory:');
  applyMigrations(db);
});
afterEach(() => db.$client.close());

async function addSetting(handle: Database, key: string, value = '1') {
  const { q, appSettings } = storeOf(handle);
  await q.insert(appSettings).values({ key, value });
}
async function settingKeys(handle: Database) {
  const { q, appSettings } = storeOf(handle);
  return (await q.select({ key: appSettings.key }).from(appSettings).orderBy(appSettings.key)).map((r) => r.key);
}

describe('the store on SQLite', () => {
  test('rows come back with the mirrored JavaScript types (Date, boolean, JSON object)', async () => {
    expect(dialectOf(db)).toBe('sqlite');
    const { q, users, auditLog } = storeOf(db);
    const [created] = await q.insert(users).values({ username: 'u', displayName: 'U', passwordHash: 'x', role: 'viewer' }).returning();
    expect(created!.createdAt).toBeInstanceOf(Date);
    expect(created!.active).toBe(true);
    await q.insert(auditLog).values({ action: 'a', detail: { k: [1, 'two'] } });
    const [row] = await q.select().from(auditLog).limit(1);
    expect(row!.detail).toEqual({ k: [1, 'two'] });
    expect(row!.at).toBeInstanceOf(Date);
    const [found] = await q.select().from(users).where(eq(users.active, true)).limit(1);
    expect(found!.username).toBe('u');
  });

  test('a transaction commits all its statements, and a failing one none', async () => {
    await inTransaction(db, async (tx) => {
      await addSetting(tx, 'a');
      await addSetting(tx, 'b');
    });
    await expect(
      inTransaction(db, async (tx) => {
        await addSetting(tx, 'c');
        await addSetting(tx, 'a'); // duplicate key
      }),
    ).rejects.toThrow();
    expect(await settingKeys(db)).toEqual(['a', 'b']);
    expect(db.$client.inTransaction).toBe(false);
  });

  test('concurrent transactions run one after the other; a nested call joins the outer one', async () => {
    const order: string[] = [];
    const run = (name: string) =>
      inTransaction(db, async (tx) => {
        order.push(`${name}:begin`);
        await addSetting(tx, name);
        await inTransaction(tx, (inner) => addSetting(inner, `${name}-nested`));
        order.push(`${name}:end`);
      });
    await Promise.all([run('x'), run('y'), run('z')]);
    expect(order).toEqual(['x:begin', 'x:end', 'y:begin', 'y:end', 'z:begin', 'z:end']);
    expect(await settingKeys(db)).toEqual(['x', 'x-nested', 'y', 'y-nested', 'z', 'z-nested']);
  });

  test('a body that waits for something other than the database is rolled back with an error', async () => {
    await expect(
      inTransaction(db, async (tx) => {
        await addSetting(tx, 'slow');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }),
    ).rejects.toThrow(/awaited something other than the database/);
    expect(await settingKeys(db)).toEqual([]);
    // the line is free again
    await inTransaction(db, (tx) => addSetting(tx, 'after'));
    expect(await settingKeys(db)).toEqual(['after']);
  });
});
