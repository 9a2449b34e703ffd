// The password policy: 12+ characters, enough different characters, not the username, not a common password (also
// not a common one with digits or punctuation appended).
import { describe, expect, test } from 'vitest';
import { passwordProblems } from '@/lib/auth/password-policy';

describe('password policy', () => {
  test('accepts a long passphrase', () => {
    expect(passwordProblems('Lantern-Harbour-Quietly-58', 'chief')).toEqual([]);
  });
  test.each(['short1!', 'aaaaaaaaaaaaaaaa', 'password2024!', 'Qwerty123456', '1q2w3e4r5t6y7u', 'chief-is-the-boss-2026'])('refuses %j', (password) => {
    expect(passwordProblems(password, 'chief').length).toBeGreaterThan(0);
  });
  test('says why, in both languages', () => {
    expect(passwordProblems('password2024!', 'x').join(' ')).toMatch(/常见密码.*common password/);
  });
});
