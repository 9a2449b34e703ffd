// Each page's own <title> ("城市比较 · 流动人口健康监测"), in the interface language, through Next.js metadata.
import 'server-only';
import type { Metadata } from 'next';
import type { MessageKey } from './messages';
import { getTranslator } from './server';

export async function titleFor(pageKey: MessageKey, vars?: Record<string, string | number>): Promise<Metadata> {
  const t = await getTranslator();
  return { title: t('page.titleTemplate', { page: t(pageKey, vars) }) };
}

/** `export const generateMetadata = pageMetadata('page.map')` */
export const pageMetadata = (pageKey: MessageKey) => () => titleFor(pageKey);
