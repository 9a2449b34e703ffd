// Roles and what each may do, as data: one table that every page, server action and route handler consults.
// Tests walk the whole matrix (tests/auth/permissions.test.ts).

export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'dashboard:view',
  'models:run',
  'briefings:download',
  'indicators:export', // published (rounded, suppressed) indicator tables as CSV
  'microdata:export',
  'audit:view-own',
  'audit:view-all',
  'data:import',
  'users:manage',
  'models:set-limits',
  'models:manage-any-job', // read or cancel another user's queued model fit
] as const;
export type Permission = (typeof PERMISSIONS)[number];

// Every permission here is checked somewhere (tests/security/permissions.test.ts finds each one in app/ or lib/).
const VIEWER: readonly Permission[] = ['dashboard:view', 'models:run', 'briefings:download', 'indicators:export'];
const ANALYST: readonly Permission[] = [...VIEWER, 'microdata:export', 'audit:view-own'];
const ADMIN: readonly Permission[] = [...ANALYST, 'audit:view-all', 'data:import', 'users:manage', 'models:set-limits', 'models:manage-any-job'];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: VIEWER,
  analyst: ANALYST,
  admin: ADMIN,
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Fails closed: no role, or a role the table does not know, may do nothing. */
export function can(role: Role | null | undefined, permission: Permission): boolean {
  if (!isRole(role)) return false;
  return ROLE_PERMISSIONS[role].includes(permission);
}
