// callbackUrl values are reduced to same-origin paths, and the client address honours only trusted proxy hops.
import { describe, expect, test } from 'vitest';
import { clientAddressFrom } from '@/lib/auth/client-address';
import { safeCallbackPath } from '@/lib/auth/request-origin';

describe('safeCallbackPath', () => {
  test('keeps paths on this site with their query', () => {
    expect(safeCallbackPath('/compare?hukou=rural#table')).toBe('/compare?hukou=rural#table');
    expect(safeCallbackPath('/cities/440300')).toBe('/cities/440300');
  });
  test.each(['//evil.example', '/\\evil.example', '/%5Cevil.example'.replace('%5C', '\\'), '/\t/evil.example', 'https://evil.example', 'javascript:alert(1)', '', ' /x', '/\n/evil.example'])(
    'sends %j home',
    (value) => {
      expect(safeCallbackPath(value)).toBe('/');
    },
  );
});

describe('clientAddressFrom', () => {
  test('ignores X-Forwarded-For unless proxies are trusted', () => {
    expect(clientAddressFrom('10.0.0.5', '1.2.3.4', 0)).toBe('10.0.0.5');
    expect(clientAddressFrom('10.0.0.5', undefined, 0)).toBe('10.0.0.5');
  });
  test('takes the address the outermost trusted proxy saw', () => {
    expect(clientAddressFrom('10.0.0.1', 'spoofed, 203.0.113.7', 1)).toBe('203.0.113.7');
    expect(clientAddressFrom('10.0.0.1', 'spoofed, 203.0.113.7, 10.0.0.2', 2)).toBe('203.0.113.7');
    expect(clientAddressFrom('10.0.0.1', undefined, 1)).toBe('10.0.0.1');
  });
});
