// The password policy for real accounts: at least 12 characters, not mostly one character, not the username, and not
// on the list of common passwords (lib/auth/common-passwords.ts). Returns the reasons, in both languages, or none.
import { COMMON_PASSWORDS } from './common-passwords';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export const PASSWORD_POLICY_TEXT =
  '密码至少 12 个字符，不能是用户名，不能是常见密码。 · At least 12 characters, not the username, not a common password.';

export function passwordProblems(password: string, username: string): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push(`密码至少需要 ${PASSWORD_MIN_LENGTH} 个字符 · The password needs at least ${PASSWORD_MIN_LENGTH} characters.`);
  if (password.length > PASSWORD_MAX_LENGTH) problems.push(`密码不能超过 ${PASSWORD_MAX_LENGTH} 个字符 · The password may have at most ${PASSWORD_MAX_LENGTH} characters.`);
  if (new Set(password).size < 5) problems.push('密码的不同字符太少 · The password has too few different characters.');
  const lower = password.toLowerCase();
  if (username && lower.includes(username.toLowerCase())) problems.push('密码不能包含用户名 · The password may not contain the username.');
  // A common password with digits or punctuation appended (e.g. "password2024!") is still a common password.
  const stem = lower.replace(/[\d\W_]+$/u, '');
  // …and so is one with a few characters of any kind added (e.g. "1q2w3e4r5t6y7u" from "1q2w3e4r5t").
  const extended = [...COMMON_PASSWORDS].some((common) => common.length >= 6 && lower.startsWith(common) && lower.length - common.length <= 6);
  if (COMMON_PASSWORDS.has(lower) || (stem.length >= 4 && COMMON_PASSWORDS.has(stem)) || extended) {
    problems.push('这是常见密码 · This is a common password.');
  }
  return problems;
}
