'use server';
// Admins set how many model fits run at once, how many may wait (in all and per user) and how long one may take.
import { revalidatePath } from 'next/cache';
import type { ModelLimitsFormState } from '@/components/admin/model-limits-form';
import { authorizedAction } from '@/lib/auth/authorized-action';
import { MODEL_LIMIT_BOUNDS } from '@/lib/domain';
import { updateModelLimits } from '@/lib/models/service';
import { modelLimitsSchema } from '@/lib/queries/settings';

const setModelLimitsAction = authorizedAction('models:set-limits', modelLimitsSchema, async (limits, user) => {
  await updateModelLimits(user, limits);
  revalidatePath('/admin/models');
  return limits;
});

/** The form's action (useActionState): the fields as numbers, then the checked action above. */
export async function saveModelLimitsFormAction(_previous: ModelLimitsFormState, form: FormData): Promise<ModelLimitsFormState> {
  const limits = Object.fromEntries(Object.keys(MODEL_LIMIT_BOUNDS).map((key) => [key, Number(form.get(key))]));
  const result = await setModelLimitsAction(limits);
  if (result.ok) return { status: 'saved' };
  return { status: 'refused', message: result.error.message, fieldErrors: result.error.fieldErrors ?? {} };
}
