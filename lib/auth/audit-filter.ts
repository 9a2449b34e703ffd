// The audit page's and CSV's filter, from URL parameters: user, action, a date range (days, UTC). Who may see what:
// audit:view-all sees everyone's entries, audit:view-own only the user's own.
import { z } from 'zod';
import type { AuditFilter } from '@/lib/queries/audit';
import { can } from './permissions';
import type { SignedInUser } from './session';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().catch(undefined);
export const auditSearchSchema = z.object({
  user: z.string().trim().max(64).regex(/^[A-Za-z0-9._:-]*$/).optional().catch(undefined),
  action: z.string().trim().max(64).regex(/^[a-z_]*$/).optional().catch(undefined),
  from: day,
  to: day,
});
export type AuditSearch = z.infer<typeof auditSearchSchema>;

export function auditFilterFor(user: SignedInUser, search: AuditSearch): AuditFilter {
  const next = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 24 * 60 * 60 * 1000);
  return {
    username: can(user.role, 'audit:view-all') ? search.user || undefined : undefined,
    userId: can(user.role, 'audit:view-all') ? undefined : user.id,
    action: search.action || undefined,
    from: search.from ? new Date(`${search.from}T00:00:00Z`) : undefined,
    to: search.to ? next(search.to) : undefined,
  };
}
