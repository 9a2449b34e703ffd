// The request's interface language: the `locale` cookie set by the language switch, else the browser's
// Accept-Language, else Chinese.
import 'server-only';
import { cookies, headers } from 'next/headers';
import { localeFromAcceptLanguage, translator, type Locale, type Translator } from './messages';

export async function getLocale(): Promise<Locale> {
  const cookie = (await cookies()).get('locale')?.value;
  if (cookie === 'zh' || cookie === 'en') return cookie;
  return localeFromAcceptLanguage((await headers()).get('accept-language'));
}

export async function getTranslator(): Promise<Translator> {
  return translator(await getLocale());
}
