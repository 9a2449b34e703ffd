'use server';
// Language switch: validates the requested locale and stores it in a cookie for a year.
import { cookies } from 'next/headers';
import { z } from 'zod';

const localeSchema = z.enum(['zh', 'en']);

export async function setLocaleAction(formData: FormData): Promise<void> {
  const parsed = localeSchema.safeParse(formData.get('locale'));
  if (!parsed.success) return;
  (await cookies()).set('locale', parsed.data, { path: '/', maxAge: 60 * 60 * 24 * 365, sameSite: 'lax' });
}
