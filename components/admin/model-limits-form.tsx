'use client';
// The admin's form for the model queue's limits; validation messages come back from the server action.
import { useState } from 'react';
import { MODEL_LIMIT_BOUNDS, type ModelLimitName } from '@/lib/domain';
import { setModelLimitsAction } from '@/app/(dashboard)/admin/models/actions';

type Limits = Record<ModelLimitName, number>;

export function ModelLimitsForm({ initial, text }: { initial: Limits; text: Record<string, string> }) {
  const [limits, setLimits] = useState(initial);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const fields = (Object.keys(MODEL_LIMIT_BOUNDS) as ModelLimitName[]).map((key) => ({ key, ...MODEL_LIMIT_BOUNDS[key] }));
  return (
    <form
      noValidate
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      onSubmit={async (event) => {
        event.preventDefault();
        setSaving(true);
        const result = await setModelLimitsAction(limits);
        setSaving(false);
        if (result.ok) setMessage({ ok: true, text: text['limits.saved'] ?? 'Saved' });
        else setMessage({ ok: false, text: [result.error.message, ...Object.values(result.error.fieldErrors ?? {}).flat()].join(' ') });
      }}
    >
      {fields.map((field) => (
        <label key={field.key} className="block">
          <span className="block text-sm font-medium text-slate-800">{text[`limits.${field.key}`]}</span>
          <input
            type="number"
            name={field.key}
            min={field.min}
            max={field.max}
            value={limits[field.key]}
            onChange={(event) => setLimits({ ...limits, [field.key]: Number(event.target.value) })}
            className="mt-1 w-32 rounded border border-slate-300 px-2 py-1 text-sm focus:outline-2 focus:outline-sky-600"
          />
          <span className="mt-1 block text-xs text-slate-500">{text[`limits.help.${field.key}`]}</span>
        </label>
      ))}
      <button type="submit" disabled={saving} data-testid="save-limits" className="rounded bg-sky-700 px-4 py-2 text-sm font-medium text-white hover:bg-sky-800 disabled:bg-slate-400">
        {text['limits.save']}
      </button>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} data-testid="limits-message" className={`text-sm ${message.ok ? 'text-emerald-700' : 'text-red-700'}`}>
          {message.text}
        </p>
      )}
    </form>
  );
}
