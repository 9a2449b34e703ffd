'use server';
// Reactivating an earlier dataset version: admins only (the data:import permission), checked by authorizedAction.
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getSqliteDatabase } from '@/lib/queries/database';
import { ActionFailure, authorizedAction } from '@/lib/auth/authorized-action';
import { activateDatasetVersionOnBackEnd, ImportRefused } from '@/lib/import/dataset-import';

const activateSchema = z.object({ datasetId: z.coerce.number().int().positive() });

export const activateDatasetVersionAction = authorizedAction('data:import', activateSchema, async ({ datasetId }, user) => {
  try {
    await activateDatasetVersionOnBackEnd(getSqliteDatabase(), datasetId, { id: user.id, name: user.name });
  } catch (error) {
    if (error instanceof ImportRefused) throw new ActionFailure(error.message);
    throw error;
  }
  // Every page shows the active dataset (and the synthetic banner depends on it).
  revalidatePath('/', 'layout');
  return { datasetId };
});
