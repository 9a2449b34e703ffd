import Link from 'next/link';
import { pageMetadata } from '@/lib/i18n/page-metadata';
import { getTranslator } from '@/lib/i18n/server';

export const generateMetadata = pageMetadata('page.forbidden');

export default async function Forbidden() {
  const t = await getTranslator();
  return (
    <main className="mx-auto max-w-xl p-10 text-center">
      <h1 className="text-2xl font-semibold">{t('forbidden.title')}</h1>
      <p className="mt-2 text-slate-600">{t('forbidden.body')}</p>
      <Link href="/" className="mt-4 inline-block text-accent underline">
        {t('forbidden.back')}
      </Link>
    </main>
  );
}
