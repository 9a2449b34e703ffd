'use client';
// The admin's form for the model queue's limits: a form action with useActionState (the page passes the server action
// in), each field's error tied to its input with aria-describedby, the outcome announced in a status or alert line.
import { useActionState, useState } from 'react';
import { MODEL_LIMIT_BOUNDS, type ModelLimitName } from '@/lib/domain';

type Limits = Record<ModelLimitName, number>;

export type ModelLimitsFormState =
  | { status: 'idle' }
  | { status: 'saved' }
  | { status: 'refused'; message: string; fieldErrors: Partial<Record<string, string[]>> };

export function ModelLimitsForm({
  initial,
  text,
  action,
}: {
  initial: Limits;
  text: Record<string, string>;
  action: (previous: ModelLimitsFormState, form: FormData) => Promise<ModelLimitsFormState>;
}) {
  // Controlled, so that a refused value stays in its field for the admin to correct (React resets uncontrolled fields).
  const [limits, setLimits] = useState(initial);
  const [state, formAction, saving] = useActionState(action, { status: 'idle' });
  const fields = (Object.keys(MODEL_LIMIT_BOUNDS) as ModelLimitName[]).map((key) => ({ key, ...MODEL_LIMIT_BOUNDS[key] }));
  const errorsOf = (key: string) => (state.status === 'refused' ? (state.fieldErrors[key] ?? []) : []);
  return (
    <form noValidate action={formAction} aria-describedby={state.status === 'idle' ? undefined : 'limits-message'} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      {fields.map((field) => {
        const errors = errorsOf(field.key);
        return (
          <label key={field.key} className="block">
            <span className="block text-sm font-medium text-slate-800">{text[`limits.${field.key}`]}</span>
            <input
              type="number"
              name={field.key}
              min={field.min}
              max={field.max}
              value={limits[field.key]}
              onChange={(event) => setLimits({ ...limits, [field.key]: Number(event.target.value) })}
              aria-invalid={errors.length > 0}
              aria-describedby={`${field.key}-help${errors.length > 0 ? ` ${field.key}-error` : ''}`}
              className="mt-1 w-32 rounded border border-slate-300 px-2 py-1 text-sm focus:outline-2 focus:outline-sky-600"
            />
            <span id={`${field.key}-help`} className="mt-1 block text-xs text-slate-500">
              {text[`limits.help.${field.key}`]}
            </span>
            {errors.length > 0 && (
              <span id={`${field.key}-error`} className="mt-1 block text-xs text-red-700">
                {errors.join(' ')}
              </span>
            )}
          </label>
        );
      })}
      <button type="submit" disabled={saving} data-testid="save-limits" className="rounded bg-sky-700 px-4 py-2 text-sm font-medium text-white hover:bg-sky-800 disabled:bg-slate-400">
        {text['limits.save']}
      </button>
      {state.status !== 'idle' && (
        <p id="limits-message" role={state.status === 'refused' ? 'alert' : 'status'} data-testid="limits-message" className={`text-sm ${state.status === 'refused' ? 'text-red-700' : 'text-emerald-700'}`}>
          {state.status === 'saved' ? (text['limits.saved'] ?? 'Saved') : [state.message, ...Object.values(state.fieldErrors).flat()].join(' ')}
        </p>
      )}
    </form>
  );
}
