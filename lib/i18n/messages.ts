// Every interface string lives in messages/zh.json and messages/en.json; this module types them and fills in {vars}.
// Keys are shared: `Messages` makes a key missing from either file a type error.
import enJson from './messages/en.json';
import zh from './messages/zh.json';

export type MessageKey = keyof typeof zh;
export type Messages = Record<MessageKey, string>;

// Typing en.json as Messages makes a key missing from the English file a type error.
const en: Messages = enJson;

export const MESSAGES: Record<'zh' | 'en', Messages> = { zh, en };
export const LOCALES = ['zh', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export type Translator = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translator {
  const messages = MESSAGES[locale];
  return (key, vars) => {
    let text: string = messages[key] ?? key;
    if (vars) for (const [name, value] of Object.entries(vars)) text = text.replaceAll(`{${name}}`, String(value));
    return text;
  };
}

/** Picks zh or en from an Accept-Language header; Chinese unless English is preferred. */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale {
  if (!header) return 'zh';
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', q] = part.trim().split(';q=');
      return { tag: tag.toLowerCase(), q: q ? Number(q) : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh';
}
