// Two buttons that set the interface language (a cookie) through a server action; works without JavaScript too.
import { setLocaleAction } from '@/lib/i18n/actions';

export function LanguageSwitch({ locale, label }: { locale: 'zh' | 'en'; label: string }) {
  return (
    <form action={setLocaleAction} className="flex items-center gap-1 text-sm" aria-label={label}>
      {(['zh', 'en'] as const).map((option) => (
        <button
          key={option}
          type="submit"
          name="locale"
          value={option}
          aria-pressed={locale === option}
          className={`rounded px-2 py-1 ${locale === option ? 'bg-white text-slate-900' : 'text-slate-200 hover:bg-slate-700'}`}
        >
          {option === 'zh' ? '中文' : 'EN'}
        </button>
      ))}
    </form>
  );
}
