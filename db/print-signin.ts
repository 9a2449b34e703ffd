// Printed by `npm start` just before the server starts: where the app is and how to sign in. The demonstration
// accounts are listed only while the synthetic dataset is active (they are refused otherwise).
import { DEMO_ACCOUNTS } from '../lib/auth/demo-users';
import { env } from '../lib/env';
import { listUsers } from '../lib/queries/users';
import { demoAccountsAllowed } from '../lib/queries/sessions';
import { openConfiguredDatabase } from './cli-database';

async function main(): Promise<void> {
  const port = process.env.PORT ?? '3000';
  const { db, close } = await openConfiguredDatabase();
  const demo = await demoAccountsAllowed(db);
  const users = (await listUsers(db)).filter((u) => u.active && !u.demo).length;
  await close();
  console.log(`\n  Migrant health dashboard → ${env.AUTH_URL ?? `http://localhost:${port}`}\n`);
  if (demo) {
    console.log('  Demonstration accounts (synthetic data):');
    for (const account of DEMO_ACCOUNTS) {
      console.log(`    ${account.role.padEnd(8)} user: ${account.username.padEnd(10)} password: ${account.password}`);
    }
  } else if (users === 0) {
    console.log('  No accounts yet: create the first with `npm run user -- add NAME --role admin`.');
  }
  console.log('');
}

void main();
