'use client';
// The model builder: preset or own specification, subgroup, Run; then the queue position, progress and the result.
// Submits through the server action, polls /api/models/jobs/[id] (route handlers are not serialised like actions).
import { useEffect, useRef, useState } from 'react';
import { MODEL_TYPES, type ModelRequest } from '@/lib/models/request';
import { DEFAULT_CONTROLS, GROUPINGS, KEY_VARIABLES, OUTCOMES, designOf, type Wave } from '@/lib/models/variables';
import { ModelResultView, Table2View, engineText } from './model-result';
import { engineMessageCode } from '@/lib/models/engine-messages';
import { labelClass, selectClass, SubgroupFieldset } from './subgroup-fieldset';
import { elapsedSeconds, runRequest, type RunModelAction, type RunState, type WorkbenchCity } from './model-run';

interface Props {
  locale: 'zh' | 'en';
  text: Record<string, string>;
  waves: Wave[];
  presets: Array<{ id: string; label: string; source: string; request: ModelRequest }>;
  variables: Array<{ id: string; label: string; kind: string; waves: number[] }>;
  cities: WorkbenchCity[];
  dataset: { label: string; synthetic: boolean };
  runModel: RunModelAction;
}

const subgroupSchemaDefaults: ModelRequest['subgroup'] = { hukou: 'all', range: 'all', region: 'all', tier: 'all', cities: [], sex: 'all', ageBand: 'all', generation: 'all' };

/** Table 2 fits in flight at once: no more than the waiting places one user has in the fair line. */
const TABLE2_LANES = 2;

export function ModelWorkbench({ locale, text, waves, presets, variables, cities, dataset, runModel }: Props) {
  const t = (key: string, vars?: Record<string, string | number>) => {
    let value = text[key] ?? key;
    for (const [name, v] of Object.entries(vars ?? {})) value = value.replaceAll(`{${name}}`, String(v));
    return value;
  };
  const firstPreset = presets.find((p) => waves.includes(p.request.wave)) ?? presets[0]!;
  const [presetId, setPresetId] = useState(firstPreset.id);
  const [request, setRequest] = useState<ModelRequest>(firstPreset.request);
  const [state, setState] = useState<RunState>({ phase: 'idle' });
  const [table2, setTable2] = useState<Array<RunState> | null>(null);
  const [table2Subgroup, setTable2Subgroup] = useState('');
  const [now, setNow] = useState(Date.now());
  const signal = useRef({ stopped: false });
  const statusRef = useRef<HTMLDivElement>(null);
  const [pair, setPair] = useState<[string, string]>(['', '']);

  const busy = state.phase === 'waiting' || state.phase === 'running';
  useEffect(() => {
    if (!busy) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [busy]);
  // After a run, focus moves to the result's heading (or the error), which also scrolls it into view.
  useEffect(() => {
    if (state.phase === 'done') document.getElementById('model-result-heading')?.focus();
    if (state.phase === 'failed') document.getElementById('model-error')?.focus();
  }, [state.phase]);
  const table2Done = table2?.every((run) => run.phase !== 'waiting' && run.phase !== 'running') ?? false;
  useEffect(() => {
    if (table2Done) document.getElementById('table2-heading')?.focus();
  }, [table2Done]);
  /** On a phone the status sits below the long form: bring it into view when a run starts. */
  const showStatus = () => statusRef.current?.scrollIntoView({ block: 'nearest' });

  const label = (id: string) => variables.find((v) => v.id === id)?.label ?? id;
  const waveVariables = variables.filter((v) => v.waves.includes(request.wave));
  const update = (patch: Partial<ModelRequest>) => {
    setPresetId('');
    setRequest((current) => ({ ...current, ...patch }));
  };
  // A subgroup applies to any model, so changing it keeps the chosen preset.
  const updateSubgroup = (patch: Partial<ModelRequest['subgroup']>) => setRequest((current) => ({ ...current, subgroup: { ...current.subgroup, ...patch } }));
  // The design's lists, less what the wave's data do not hold (an imported wave may lack some variables).
  const held = (wave: Wave, ids: readonly string[]) => ids.filter((id) => variables.some((v) => v.id === id && v.waves.includes(wave)));
  const changeWave = (wave: Wave) => {
    const design = designOf(wave);
    update({ wave, outcome: held(wave, OUTCOMES[design])[0] ?? '', keys: held(wave, KEY_VARIABLES[design]).slice(0, 1), controls: held(wave, DEFAULT_CONTROLS[design]), interactions: [], mediator: undefined });
  };
  // The design's usual controls that this wave's data lack (the trend waves keep only the indicator variables).
  const lackedControls = DEFAULT_CONTROLS[designOf(request.wave)].filter((id) => !held(request.wave, [id]).length);
  const toggle = (list: string[], id: string) => (list.includes(id) ? list.filter((x) => x !== id) : [...list, id]);

  async function run() {
    signal.current = { stopped: false };
    setTable2(null);
    setState({ phase: 'waiting', jobId: '', position: 0, startedAt: Date.now() });
    requestAnimationFrame(showStatus);
    setState(await runRequest(runModel, request, setState, signal.current));
  }

  async function cancel() {
    signal.current.stopped = true;
    if ((state.phase === 'waiting' || state.phase === 'running') && state.jobId) await fetch(`/api/models/jobs/${state.jobId}`, { method: 'DELETE' });
    setState({ phase: 'cancelled' });
  }

  async function runTable2() {
    signal.current = { stopped: false };
    setState({ phase: 'idle' });
    const table2Presets = presets.filter((p) => /^t2m[1-6]$/.test(p.id));
    setTable2Subgroup(describeSubgroup(request.wave === 2014 ? request.subgroup : subgroupSchemaDefaults));
    const states: RunState[] = table2Presets.map(() => ({ phase: 'waiting', jobId: '', position: 0, startedAt: Date.now() }));
    setTable2([...states]);
    requestAnimationFrame(showStatus);
    // The fair line keeps at most two waiting fits per user (MODEL_USER_QUEUE_LIMIT), so the six go through two lanes:
    // none is refused, and on the default two workers they finish as soon as they would all queued at once.
    const stop = signal.current;
    let next = 0;
    await Promise.all(
      Array.from({ length: TABLE2_LANES }, async () => {
        while (next < table2Presets.length && !stop.stopped) {
          const index = next++;
          const preset = table2Presets[index] as (typeof table2Presets)[number];
          const withSubgroup = { ...preset.request, subgroup: request.wave === 2014 ? request.subgroup : preset.request.subgroup };
          states[index] = await runRequest(runModel, withSubgroup, (progress) => {
            states[index] = progress;
            setTable2([...states]);
          }, stop);
          setTable2([...states]);
        }
      }),
    );
  }

  // The subgroup in words, for the side-by-side table's caption.
  const describeSubgroup = (subgroup: ModelRequest['subgroup']) =>
    [
      subgroup.hukou !== 'all' ? t(`hukou.${subgroup.hukou}`) : null,
      subgroup.range !== 'all' ? t(`range.${subgroup.range}`) : null,
      subgroup.region !== 'all' ? t(`region.${subgroup.region}`) : null,
      subgroup.tier !== 'all' ? t(`tier.${subgroup.tier}`) : null,
      subgroup.sex !== 'all' ? t(`models.sex.${subgroup.sex}`) : null,
      subgroup.ageBand !== 'all' ? subgroup.ageBand : null,
      subgroup.generation !== 'all' ? t(`models.gen.${subgroup.generation}`) : null,
      subgroup.cities.length > 0 ? cities.filter((c) => subgroup.cities.includes(c.code)).map((c) => c.name).join('、') : null,
    ]
      .filter(Boolean)
      .join(' · ') || t('models.all');

  const cityCodesFor = (subgroup: ModelRequest['subgroup']) =>
    cities.filter((c) => (subgroup.region === 'all' || c.region === subgroup.region) && (subgroup.tier === 'all' || c.tier === subgroup.tier)).map((c) => c.code);

  return (
    <div className="grid gap-6 lg:grid-cols-[22rem_1fr]">
      <form
        className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
        onSubmit={(event) => {
          event.preventDefault();
          if (!busy) void run();
        }}
        aria-label={t('models.title')}
      >
        <label className="block">
          <span className={labelClass}>{t('models.preset')}</span>
          <select
            className={selectClass}
            value={presetId}
            data-testid="model-preset"
            onChange={(event) => {
              const preset = presets.find((p) => p.id === event.target.value);
              setPresetId(event.target.value);
              if (preset) setRequest({ ...preset.request, subgroup: request.subgroup.cities.length > 0 && preset.request.wave !== request.wave ? preset.request.subgroup : request.subgroup });
            }}
          >
            <option value="">{t('models.presetNone')}</option>
            {presets.filter((p) => waves.includes(p.request.wave)).map((preset) => (
              <option key={preset.id} value={preset.id}>
                {preset.label}
              </option>
            ))}
          </select>
        </label>
        <label className="block">
          <span className={labelClass}>{t('models.wave')}</span>
          <select className={selectClass} value={request.wave} onChange={(event) => changeWave(Number(event.target.value))}>
            {waves.map((wave) => (
              <option key={wave} value={wave}>
                {wave}
              </option>
            ))}
          </select>
        </label>
        {lackedControls.length > 0 && (
          <p className="text-sm text-amber-800" data-testid="wave-lacks">
            {t('models.waveLacks', { variables: lackedControls.map(label).join(locale === 'zh' ? '、' : ', ') })}
          </p>
        )}
        {/* Full width: outcome labels such as 社会融合指数 (0–100) were cut off in half a 22rem column. */}
        <label className="block">
          <span className={labelClass}>{t('models.outcome')}</span>
          <select className={selectClass} value={request.outcome} data-testid="model-outcome" onChange={(event) => update({ outcome: event.target.value })}>
            {held(request.wave, OUTCOMES[designOf(request.wave)]).map((id) => (
              <option key={id} value={id}>
                {label(id)}
              </option>
            ))}
          </select>
        </label>
        <label className="block">
          <span className={labelClass}>{t('models.type')}</span>
          <select className={selectClass} value={request.type} data-testid="model-type" onChange={(event) => update({ type: event.target.value as ModelRequest['type'] })}>
            {MODEL_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`models.type.${type}`)}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend className={labelClass}>{t('models.keys')}</legend>
          <div className="mt-1 space-y-1">
            {held(request.wave, KEY_VARIABLES[designOf(request.wave)]).map((id) => (
              <label key={id} className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={request.keys.includes(id)} onChange={() => update({ keys: toggle(request.keys, id) })} />
                {label(id)}
              </label>
            ))}
          </div>
        </fieldset>
        {request.type === 'mediation' && (
          <label className="block">
            <span className={labelClass}>{t('models.mediator')}</span>
            <select className={selectClass} value={request.mediator ?? ''} data-testid="model-mediator" onChange={(event) => update({ mediator: event.target.value || undefined })}>
              <option value="">—</option>
              {waveVariables.filter((v) => v.kind !== 'factor' && v.id !== request.outcome).map((v) => (
                <option key={v.id} value={v.id}>
                  {v.label}
                </option>
              ))}
            </select>
          </label>
        )}
        {request.type === 'heterogeneity' && (
          <label className="block">
            <span className={labelClass}>{t('models.groupBy')}</span>
            <select className={selectClass} value={request.groupBy ?? ''} onChange={(event) => update({ groupBy: (event.target.value || undefined) as ModelRequest['groupBy'] })}>
              <option value="">—</option>
              {GROUPINGS.map((g) => (
                <option key={g} value={g}>
                  {t(`models.groupBy.${g}`)}
                </option>
              ))}
            </select>
          </label>
        )}
        <div className="grid grid-cols-2 gap-3">
          {request.type !== 'ri_logit' && request.type !== 'ri_linear' && request.type !== 'psm' && (
            <label className="block">
              <span className={labelClass}>{t('models.se')}</span>
              <select className={selectClass} value={request.se} onChange={(event) => update({ se: event.target.value as ModelRequest['se'] })}>
                {(['classical', 'robust', 'cluster'] as const).map((se) => (
                  <option key={se} value={se}>
                    {t(`models.se.${se}`)}
                  </option>
                ))}
              </select>
            </label>
          )}
          {request.type === 'ri_logit' && (
            <label className="block">
              <span className={labelClass}>{t('models.nAGQ')}</span>
              <input type="number" min={1} max={25} className={selectClass} value={request.nAGQ} onChange={(event) => update({ nAGQ: Math.max(1, Math.min(25, Number(event.target.value) || 1)) })} />
            </label>
          )}
          {request.type === 'mediation' && (
            <label className="block">
              <span className={labelClass}>{t('models.bootstrap')}</span>
              <input type="number" min={0} max={2000} step={100} className={selectClass} value={request.bootstrap} onChange={(event) => update({ bootstrap: Math.max(0, Math.min(2000, Number(event.target.value) || 0)) })} />
            </label>
          )}
        </div>
        <details className="rounded border border-slate-200 p-2">
          <summary className="cursor-pointer text-sm font-medium text-slate-700">
            {t('models.controls')} ({request.controls.length})
          </summary>
          <div className="mt-2 max-h-56 space-y-1 overflow-y-auto">
            {waveVariables.filter((v) => v.id !== request.outcome && !request.keys.includes(v.id)).map((v) => (
              <label key={v.id} className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={request.controls.includes(v.id)} onChange={() => update({ controls: toggle(request.controls, v.id) })} />
                {v.label}
              </label>
            ))}
          </div>
        </details>
        <details className="rounded border border-slate-200 p-2">
          <summary className="cursor-pointer text-sm font-medium text-slate-700">
            {t('models.interactions')} ({request.interactions.length})
          </summary>
          <ul className="mt-2 space-y-1 text-sm">
            {request.interactions.map(([a, b], index) => (
              <li key={`${a}:${b}`} className="flex items-center justify-between gap-2">
                <span>
                  {label(a)} × {label(b)}
                </span>
                <button type="button" className="text-xs text-sky-700 underline" onClick={() => update({ interactions: request.interactions.filter((_, i) => i !== index) })}>
                  {t('models.remove')}
                </button>
              </li>
            ))}
          </ul>
          <div className="mt-2 flex gap-1">
            {[0, 1].map((side) => (
              <select key={side} aria-label={`${t('models.interactions')} ${side + 1}`} className={selectClass} value={pair[side]} onChange={(event) => setPair((p) => (side === 0 ? [event.target.value, p[1]] : [p[0], event.target.value]))}>
                <option value="">—</option>
                {waveVariables.filter((v) => v.id !== request.outcome).map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.label}
                  </option>
                ))}
              </select>
            ))}
          </div>
          <button
            type="button"
            className="mt-1 text-xs text-sky-700 underline disabled:text-slate-400"
            disabled={!pair[0] || !pair[1] || pair[0] === pair[1]}
            onClick={() => {
              update({ interactions: [...request.interactions, pair] });
              setPair(['', '']);
            }}
          >
            {t('models.addInteraction')}
          </button>
        </details>
        <SubgroupFieldset t={t} subgroup={request.subgroup} cities={cities} onChange={updateSubgroup} />
        <div className="flex flex-wrap gap-2">
          <button type="submit" disabled={busy} data-testid="run-model" className="rounded bg-sky-700 px-4 py-2 text-sm font-medium text-white hover:bg-sky-800 focus:outline-2 focus:outline-offset-2 focus:outline-sky-600 disabled:bg-slate-400">
            {t('models.run')}
          </button>
          {busy && (
            <button type="button" onClick={() => void cancel()} className="rounded border border-slate-300 px-4 py-2 text-sm hover:bg-slate-50">
              {t('models.cancel')}
            </button>
          )}
          {waves.includes(2014) && (
            <button type="button" disabled={busy} onClick={() => void runTable2()} data-testid="run-table2" className="rounded border border-sky-700 px-3 py-2 text-sm text-sky-800 hover:bg-sky-50 disabled:text-slate-400">
              {t('models.runTable2')}
            </button>
          )}
        </div>
      </form>

      <section className="min-w-0 space-y-4">
        {/* Sticky: the status stays in view while the user is down at the Run button of the long form. */}
        <div ref={statusRef} role="region" aria-label={t('models.statusRegion')} className={`sticky top-0 z-10 space-y-2 ${busy ? 'rounded border border-sky-200 bg-white/95 p-3 shadow-sm' : ''}`}>
        <div data-testid="model-status" aria-live="polite" className="flex flex-wrap items-center gap-3 text-sm text-slate-700">
          {state.phase === 'waiting' && (state.position > 0 ? t('models.queued', { position: state.position }) : t('models.running', { seconds: elapsedSeconds(now, state.startedAt) }))}
          {state.phase === 'running' && t('models.running', { seconds: elapsedSeconds(now, state.startedAt) })}
          {state.phase === 'done' && (state.cached ? t('models.cached', { seconds: (state.output.durationMs / 1000).toFixed(1) }) : t('models.finished', { seconds: (state.output.durationMs / 1000).toFixed(1) }))}
          {state.phase === 'cancelled' && t('models.cancelled')}
          {busy && (
            <button type="button" onClick={() => void cancel()} className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-50">
              {t('models.cancel')}
            </button>
          )}
        </div>
        {busy && <div className="h-1 w-full overflow-hidden rounded bg-slate-200"><div className="h-1 w-1/3 animate-pulse rounded bg-sky-600" /></div>}
        </div>
        {state.phase === 'failed' && (
          <div role="alert" id="model-error" tabIndex={-1} data-testid="model-error" className="rounded border border-danger-line bg-danger-soft p-3 text-sm text-danger">
            <strong>{t('models.failed')}:</strong>{' '}
            {state.problems && state.problems.length > 0
              ? `${t('models.invalidRequest')} ${state.problems.map((problem) => engineText(problem, t, label)).join(' ')}`
              : engineMessageCode(state.message)
                ? engineText(state.message, t, label)
                : state.message}
          </div>
        )}
        {state.phase === 'idle' && !table2 && <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-500">{t('models.empty')}</p>}
        {state.phase === 'done' && (
          <ModelResultView output={state.output} locale={locale} t={t} labelOf={label} dataset={dataset} cityCodes={cityCodesFor(state.output.request.subgroup)} cities={cities} />
        )}
        {table2 && <Table2View runs={table2} t={t} labelOf={label} subgroup={table2Subgroup} />}
      </section>
    </div>
  );
}
