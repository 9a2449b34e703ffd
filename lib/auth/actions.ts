'use server';
// Sign-in and sign-out server actions used by the forms.
import { AuthError } from 'next-auth';
import { z } from 'zod';
import { signIn, signOut } from './index';

export type SignInState = { error: 'invalid' | 'rate_limited' | null };

const callbackSchema = z
  .string()
  .regex(/^\/(?!\/)[^\s]*$/)
  .catch('/');

export async function signInAction(_previous: SignInState, formData: FormData): Promise<SignInState> {
  try {
    await signIn('credentials', {
      username: formData.get('username'),
      password: formData.get('password'),
      redirectTo: callbackSchema.parse(formData.get('callbackUrl') ?? '/'),
    });
    return { error: null };
  } catch (error) {
    if (error instanceof AuthError) {
      const code = (error as AuthError & { code?: string }).code;
      return { error: code === 'rate_limited' ? 'rate_limited' : 'invalid' };
    }
    throw error; // Next's redirect after a successful sign-in travels as an exception.
  }
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: '/sign-in' });
}
