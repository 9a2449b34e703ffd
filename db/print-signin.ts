// Printed by `npm start` just before the server starts: where the app is and how to sign in.
import { DEMO_ACCOUNTS } from '../lib/auth/demo-users';

const port = process.env.PORT ?? '3000';
console.log(`\n  Migrant health dashboard → http://localhost:${port}\n`);
console.log('  Demonstration accounts (synthetic data):');
for (const account of DEMO_ACCOUNTS) {
  console.log(`    ${account.role.padEnd(8)} user: ${account.username.padEnd(10)} password: ${account.password}`);
}
console.log('');
