// Model terms as people read them, in either language: the intercept, variables by label, factor dummies as
// "factor: level" (marital_statusfirst_married → 婚姻状况: 初婚), interactions as a × b. Pure, shared by the model page
// (with the catalogue strings it was given) and the briefing PDFs.

type T = (key: string, vars?: Record<string, string | number>) => string;

const FACTORS = ['marital_status', 'migration_range'] as const;

/** A factor level by its label: migration ranges from the range.* messages, other factors from models.level.*. */
export function levelLabel(factor: string, level: string, t: T): string {
  const key = factor === 'migration_range' ? `range.${level}` : `models.level.${factor}.${level}`;
  const text = t(key);
  return text === key ? level : text;
}

export function termLabel(term: string, labelOf: (id: string) => string, t: T): string {
  if (term === '(Intercept)') return t('models.intercept');
  const special = t(`models.term.${term}`);
  if (special !== `models.term.${term}`) return special;
  return term
    .split(':')
    .map((part) => {
      const label = labelOf(part);
      if (label !== part) return label;
      for (const factor of FACTORS) if (part.startsWith(factor)) return `${labelOf(factor)}: ${levelLabel(factor, part.slice(factor.length), t)}`;
      return part;
    })
    .join(' × ');
}
