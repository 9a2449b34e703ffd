// The role matrix, cell by cell: what each role may and may not do.
import { describe, expect, test } from 'vitest';
import { PERMISSIONS, ROLES, ROLE_PERMISSIONS, can, isRole, type Permission, type Role } from '@/lib/auth/permissions';

const EXPECTED: Record<Role, Permission[]> = {
  viewer: ['dashboard:view', 'models:run', 'briefings:download', 'indicators:export'],
  analyst: ['dashboard:view', 'models:run', 'briefings:download', 'indicators:export', 'microdata:export', 'audit:view-own'],
  admin: [...PERMISSIONS],
};

describe('role permission table', () => {
  for (const role of ROLES) {
    for (const permission of PERMISSIONS) {
      const allowed = EXPECTED[role].includes(permission);
      test(`${role} ${allowed ? 'may' : 'may not'} ${permission}`, () => {
        expect(can(role, permission)).toBe(allowed);
      });
    }
  }

  test('each role has every permission of the role below it', () => {
    expect(ROLE_PERMISSIONS.viewer.every((p) => can('analyst', p))).toBe(true);
    expect(ROLE_PERMISSIONS.analyst.every((p) => can('admin', p))).toBe(true);
  });

  test('no session, or an unknown role, may do nothing', () => {
    for (const permission of PERMISSIONS) {
      expect(can(null, permission)).toBe(false);
      expect(can(undefined, permission)).toBe(false);
    }
    expect(isRole('superuser')).toBe(false);
    expect(can('superuser' as Role, 'dashboard:view')).toBe(false);
    expect(isRole('admin')).toBe(true);
  });
});
