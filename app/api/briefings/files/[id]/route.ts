// GET /api/briefings/files/<id>: a briefing a cluster worker rendered (its id came in the X-Briefing-Id header of the
// download that asked for it), from whichever web instance the request reaches, to its owner only, until it expires.
// Embedded (no DATABASE_URL) nothing is stored, so every id is unknown. Session and permission first, then zod.
import { z } from 'zod';
import { checkRoutePermission } from '@/lib/auth/session';
import { getLocale } from '@/lib/i18n/server';
import { briefingError, storedBriefingResponse } from '@/lib/pdf/briefing-response';

export const dynamic = 'force-dynamic';

const paramsSchema = z.object({ id: z.uuid('A briefing id is a UUID.') });

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const check = await checkRoutePermission('briefings:download');
  if (!check.ok) return check.response;
  const parsed = paramsSchema.safeParse(await params);
  if (!parsed.success) return briefingError(request, await getLocale(), 400, 'bad_request', 'A briefing id is a UUID.', { params: ['id'] });
  return storedBriefingResponse(request, await getLocale(), check.user, parsed.data.id);
}
