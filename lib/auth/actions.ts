'use server';
// Sign-out as a server action, for places that cannot post a form (kept for programmatic use).
import { signOut } from './index';

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: '/sign-in' });
}
