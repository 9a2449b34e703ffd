// Every server action walks session → permission → zod parse → work, and answers with a typed result, never a throw.
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import type { SignedInUser } from '@/lib/auth/session';

let signedIn: SignedInUser | null = null;
vi.mock('@/lib/auth/session', () => ({ currentUser: async () => signedIn, auditRefusal: () => undefined }));

const { ActionFailure, authorizedAction } = await import('@/lib/auth/authorized-action');

const work = vi.fn(async (input: { city: string }, user: SignedInUser) => `${user.role}:${input.city}`);
const exportMicrodataAction = authorizedAction('microdata:export', z.object({ city: z.string().regex(/^\d{6}$/) }), work);

beforeEach(() => {
  work.mockClear();
  signedIn = null;
});

describe('authorizedAction', () => {
  test('refuses without a session, before validating or working', async () => {
    expect(await exportMicrodataAction({ city: 'x' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(work).not.toHaveBeenCalled();
  });

  test('refuses a role without the permission, before validating', async () => {
    signedIn = { id: 1, name: 'Demo viewer', role: 'viewer', mustChangePassword: false };
    expect(await exportMicrodataAction({ city: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(work).not.toHaveBeenCalled();
  });

  test('returns field errors for invalid input', async () => {
    signedIn = { id: 2, name: 'Demo analyst', role: 'analyst', mustChangePassword: false };
    const result = await exportMicrodataAction({ city: 'Shenzhen' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', fieldErrors: { city: [expect.any(String)] } } });
    expect(work).not.toHaveBeenCalled();
  });

  test('runs the work with the parsed input and the user', async () => {
    signedIn = { id: 2, name: 'Demo analyst', role: 'analyst', mustChangePassword: false };
    expect(await exportMicrodataAction({ city: '440300', extra: true })).toEqual({ ok: true, data: 'analyst:440300' });
    expect(work).toHaveBeenCalledWith({ city: '440300' }, signedIn);
  });

  test('passes an ActionFailure message to the user as a typed error', async () => {
    signedIn = { id: 3, name: 'Demo admin', role: 'admin', mustChangePassword: false };
    const failing = authorizedAction('data:import', z.object({}), async () => {
      throw new ActionFailure('The file is not a CMDS export.');
    });
    expect(await failing({})).toEqual({ ok: false, error: { code: 'failed', message: 'The file is not a CMDS export.' } });
  });

  test('keeps any other error on the server and answers with a generic typed error', async () => {
    signedIn = { id: 3, name: 'Demo admin', role: 'admin', mustChangePassword: false };
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const failing = authorizedAction('data:import', z.object({}), async () => {
      throw new Error('SQLITE_FULL: database or disk is full at /srv/data/dashboard.db');
    });
    const result = await failing({});
    expect(result).toMatchObject({ ok: false, error: { code: 'failed' } });
    expect(JSON.stringify(result)).not.toContain('SQLITE');
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
  });
});
