// `npm run user -- add NAME --role admin`: manage accounts from the shell, as a real deployment starts (README
// "Deploying"). The password is asked for twice without echo; when stdin is not a terminal it is read from stdin's
// first line (for scripts and tests). Also: list, disable NAME, enable NAME, reset NAME (the user must change it).
// Accounts live in the configured database: PostgreSQL when DATABASE_URL is set, else the SQLite file.
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { z } from 'zod';
import { passwordProblems, PASSWORD_POLICY_TEXT } from '../lib/auth/password-policy';
import { ROLES } from '../lib/auth/permissions';
import { recordAudit } from '../lib/queries/audit';
import { createUser, findUserByUsername, listUsers, resetUserPassword, setUserActive, UsernameTaken } from '../lib/queries/users';
import { openConfiguredDatabase } from './cli-database';

const USAGE = `usage:
  npm run user -- add NAME --role viewer|analyst|admin [--display-name "Full name"]
  npm run user -- list
  npm run user -- disable NAME | enable NAME
  npm run user -- reset NAME          (new password; the user must change it at the next sign-in)
The password is asked for on the terminal, or read from the first line of stdin when stdin is not a terminal.
${PASSWORD_POLICY_TEXT}`;

const usernameSchema = z.string().regex(/^[A-Za-z0-9._-]{2,64}$/, 'a username is 2-64 letters, digits, dots, dashes or underscores');

async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const rl = readline.createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    throw new Error('No password on stdin.');
  }
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = readline.createInterface({ input: process.stdin, output: muted, terminal: true });
  process.stdout.write(prompt);
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stdout.write('\n');
  return answer;
}

async function newPassword(username: string): Promise<string> {
  const password = await readPassword(`Password for ${username}: `);
  const problems = passwordProblems(password, username);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  if (process.stdin.isTTY && (await readPassword('Repeat the password: ')) !== password) throw new Error('The two passwords differ.');
  return password;
}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

async function main(): Promise<void> {
  const [command, name, ...rest] = process.argv.slice(2);
  const { db, close } = await openConfiguredDatabase();
  const actor = { username: `cli:${process.env.USER ?? 'shell'}` };
  try {
    if (command === 'list') {
      for (const u of await listUsers(db)) console.log(`${String(u.id).padStart(4)}  ${u.username.padEnd(20)} ${u.role.padEnd(8)} ${u.active ? 'active' : 'disabled'}${u.demo ? ' (demo)' : ''}${u.mustChangePassword ? ' (must change password)' : ''}`);
      return;
    }
    const username = usernameSchema.parse(name);
    if (command === 'add') {
      const role = z.enum(ROLES).parse(option(rest, '--role'));
      const displayName = option(rest, '--display-name') ?? username;
      const password = await newPassword(username);
      const id = await createUser(db, { username, displayName, role, password });
      await recordAudit(db, { ...actor, action: 'user_created', target: username, detail: { role, via: 'cli' } });
      console.log(`Created ${role} ${username} (#${id}).`);
      return;
    }
    const user = await findUserByUsername(db, username);
    if (!user) throw new Error(`No user ${username}.`);
    if (command === 'disable' || command === 'enable') {
      await setUserActive(db, user.id, command === 'enable');
      await recordAudit(db, { ...actor, action: command === 'enable' ? 'user_enabled' : 'user_disabled', target: username, detail: { via: 'cli' } });
      console.log(`${command === 'enable' ? 'Enabled' : 'Disabled'} ${username}${command === 'disable' ? '; its sessions are ended' : ''}.`);
      return;
    }
    if (command === 'reset') {
      await resetUserPassword(db, user.id, await newPassword(username));
      await recordAudit(db, { ...actor, action: 'user_password_reset', target: username, detail: { via: 'cli' } });
      console.log(`Reset the password of ${username}; they choose a new one at the next sign-in.`);
      return;
    }
    throw new Error(USAGE);
  } finally {
    await close();
  }
}

main().catch((error: unknown) => {
  const message = error instanceof z.ZodError ? error.issues.map((i) => i.message).join('; ') + `\n\n${USAGE}` : error instanceof UsernameTaken || error instanceof Error ? error.message : String(error);
  console.error(message);
  process.exit(1);
});
