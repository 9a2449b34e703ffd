// The payload of each job kind, checked with zod before a job is queued (and so before any worker sees it). Light:
// imported by the server, the worker entries and the tests alike.
import { z } from 'zod';
import { modelRequestSchema } from '../models/request';
import type { BriefingModel } from '../pdf/briefing-model';

export const fitPayloadSchema = z.object({
  databasePath: z.string().min(1),
  datasetId: z.number().int().positive(),
  request: modelRequestSchema,
  cacheKey: z.string().min(1),
  username: z.string().min(1),
});
export type FitPayload = z.infer<typeof fitPayloadSchema>;

// A briefing's layout model is built by the server from the query layer (lib/pdf/briefing-model.ts); the check here
// guards the parts the worker relies on to start the layout.
const briefingModelSchema = z.custom<BriefingModel>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    z.object({ locale: z.enum(['zh', 'en']), date: z.string().min(1), meta: z.object({ title: z.string() }), headline: z.object({}).loose(), footer: z.object({ synthetic: z.boolean() }) }).loose().safeParse(value).success,
  { message: 'not a briefing model' },
);
export const briefingPayloadSchema = z.object({
  model: briefingModelSchema,
  /** The download's file name; the cluster keeps it with the file, for a download from another web instance. */
  fileStem: z.object({ ascii: z.string().min(1).max(500), unicode: z.string().min(1).max(500) }).optional(),
});
export type BriefingPayload = z.infer<typeof briefingPayloadSchema>;

export const importPayloadSchema = z.object({
  filePath: z.string().min(1),
  fileName: z.string().min(1).max(255),
  mappingPath: z.string().min(1),
  mappingName: z.string().min(1).max(255),
  encoding: z.enum(['auto', 'utf-8', 'gb18030']),
  databasePath: z.string().min(1),
  dryRun: z.boolean(),
  /** Mapped optional variables the admin allowed the file to lack (by file or canonical name; never '*'). */
  allowMissing: z.array(z.string().min(1).max(200)).max(200).optional(),
  user: z.object({ id: z.number().int().positive(), name: z.string().min(1).max(60) }),
});
export type ImportPayload = z.infer<typeof importPayloadSchema>;
