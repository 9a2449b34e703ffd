// The secret that signs session tokens: AUTH_SECRET when set, otherwise a random one generated once at setup and kept
// in the data folder beside the database (never committed), so a fresh clone needs no configuration.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { env } from '../env';

function secretFile(): string {
  return path.join(path.dirname(env.DATABASE_PATH), 'auth-secret');
}

export function ensureAuthSecret(): void {
  if (env.AUTH_SECRET) return;
  const file = secretFile();
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, crypto.randomBytes(32).toString('base64url'), { mode: 0o600 });
}

export function readAuthSecret(): string {
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  const file = secretFile();
  if (!fs.existsSync(file)) {
    throw new Error(`No AUTH_SECRET and no ${file}: run \`npm run setup\` first.`);
  }
  return fs.readFileSync(file, 'utf8').trim();
}
