'use server';
// Admins set how many model fits run at once, how many may wait (in all and per user) and how long one may take.
import { revalidatePath } from 'next/cache';
import { authorizedAction } from '@/lib/auth/authorized-action';
import { updateModelLimits } from '@/lib/models/service';
import { modelLimitsSchema } from '@/lib/queries/settings';

export const setModelLimitsAction = authorizedAction('models:set-limits', modelLimitsSchema, async (limits, user) => {
  await updateModelLimits(user, limits);
  revalidatePath('/admin/models');
  return limits;
});
