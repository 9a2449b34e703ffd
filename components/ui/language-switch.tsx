'use client';
// Two buttons that set the interface language (a cookie) through a validated server action; the server then re-renders
// the current page, keeping its URL state. Plain `type="button"` so a page's own form (sign-in) is never submitted by,
// or confused with, the language switch.
import { useTransition } from 'react';
import { setLocaleAction } from '@/lib/i18n/actions';

export function LanguageSwitch({ locale, label }: { locale: 'zh' | 'en'; label: string }) {
  const [pending, startTransition] = useTransition();
  const choose = (option: 'zh' | 'en') => {
    if (option === locale) return;
    const form = new FormData();
    form.set('locale', option);
    startTransition(() => setLocaleAction(form));
  };
  return (
    <div role="group" aria-label={label} aria-busy={pending} className="flex items-center gap-1 text-sm">
      {(['zh', 'en'] as const).map((option) => (
        <button
          key={option}
          type="button"
          name="locale"
          value={option}
          lang={option === 'zh' ? 'zh-CN' : 'en'}
          aria-pressed={locale === option}
          onClick={() => choose(option)}
          className={`whitespace-nowrap rounded px-2 py-1 ${locale === option ? 'bg-white text-slate-900' : 'text-slate-200 hover:bg-slate-700'}`}
        >
          {option === 'zh' ? '中文' : 'EN'}
        </button>
      ))}
    </div>
  );
}
