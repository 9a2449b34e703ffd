import type { Metadata } from 'next';
import { getLocale, getTranslator } from '@/lib/i18n/server';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslator();
  return { title: t('app.title'), description: t('app.subtitle') };
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const locale = await getLocale();
  return (
    <html lang={locale === 'zh' ? 'zh-CN' : 'en'}>
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
