'use client';
// Downloads of what the page shows: a table as CSV (its cells as displayed: rounded, hidden cells in words) and a
// chart as PNG and SVG (the drawn figure with its title and a provenance caption, as pure SVG: figure-svg.ts). Built in
// the browser from the page's own published figures, never from other data, so the file's numbers are the page's. The
// provenance lines (dataset version, wave, filters, disclosure rule, source, citation, synthetic notice) come from the
// server.
import { useState } from 'react';
import { tableCsv } from '@/lib/export/provenance';
import { figureSvg } from './figure-svg';

export interface DownloadLabels {
  group: string;
  csv: string;
  png: string;
  svg: string;
  csvLong: string;
  pngLong: string;
  svgLong: string;
  failed: string;
  /** The CSV's first note: how R, pandas and Excel read the file. */
  csvReading: string;
}

/** The text a cell shows, without sort arrows or other decoration marked aria-hidden or data-download-skip. */
function cellText(cell: Element): string {
  const copy = cell.cloneNode(true) as Element;
  copy.querySelectorAll('[aria-hidden="true"], [data-download-skip]').forEach((e) => e.remove());
  return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function rowCells(row: HTMLTableRowElement): string[] {
  const cells: string[] = [];
  for (const cell of Array.from(row.cells)) {
    cells.push(cellText(cell));
    for (let i = 1; i < cell.colSpan; i++) cells.push('');
  }
  return cells;
}

/** Header and body of every table in `root` as the page shows them; later tables follow under their caption. */
export function readTable(root: Element): { header: string[]; rows: string[][] } {
  const tables = root instanceof HTMLTableElement ? [root] : Array.from(root.querySelectorAll('table'));
  const [first, ...rest] = tables.map(readOneTable);
  if (!first) return { header: [], rows: [] };
  const rows = [...first.rows];
  for (const table of rest) rows.push([], ...(table.caption ? [[table.caption]] : []), table.header, ...table.rows);
  return { header: first.header, rows };
}

function readOneTable(table: HTMLTableElement): { caption: string; header: string[]; rows: string[][] } {
  const caption = table.caption ? cellText(table.caption) : '';
  const headRows = Array.from(table.tHead?.rows ?? []);
  const bodyRows = Array.from(table.tBodies).flatMap((b) => Array.from(b.rows));
  const header = headRows.length ? rowCells(headRows[headRows.length - 1]!) : [];
  return { caption, header, rows: bodyRows.map(rowCells) };
}

function save(name: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function svgToPng(svg: string, width: number, height: number): Promise<Blob> {
  const image = new Image();
  image.width = width;
  image.height = height;
  await new Promise<void>((resolve, reject) => {
    image.onload = () => resolve();
    image.onerror = () => reject(new Error('svg did not load'));
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  });
  const scale = 2;
  const canvas = document.createElement('canvas');
  canvas.width = width * scale;
  canvas.height = height * scale;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no canvas');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.scale(scale, scale);
  context.drawImage(image, 0, 0, width, height);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no png'))), 'image/png'));
}

export function DownloadButtons({
  target,
  fileBase,
  title,
  provenance,
  labels,
  kinds,
  testId,
  figureSelector,
}: {
  /** id of the element holding the table or the figure */
  target: string;
  /** a figure inside the target (the first match), when the target holds more than the figure */
  figureSelector?: string;
  fileBase: string;
  title: string;
  provenance: readonly string[];
  labels: DownloadLabels;
  kinds: ReadonlyArray<'csv' | 'png' | 'svg'>;
  testId: string;
}) {
  const [failed, setFailed] = useState(false);
  const run = async (kind: 'csv' | 'png' | 'svg') => {
    setFailed(false);
    try {
      const root = document.getElementById(target);
      if (!root) throw new Error(`no element #${target}`);
      if (kind === 'csv') {
        const { header, rows } = readTable(root);
        save(`${fileBase}.csv`, new Blob([tableCsv(provenance, header, rows, labels.csvReading)], { type: 'text/csv;charset=utf-8' }));
        return;
      }
      const figure = figureSelector ? root.querySelector<HTMLElement>(figureSelector) : root;
      if (!figure) throw new Error(`no figure ${figureSelector} in #${target}`);
      const { svg, width, height } = figureSvg(figure, title, provenance);
      if (kind === 'svg') save(`${fileBase}.svg`, new Blob([svg], { type: 'image/svg+xml;charset=utf-8' }));
      else save(`${fileBase}.png`, await svgToPng(svg, width, height));
    } catch {
      setFailed(true);
    }
  };
  const long = { csv: labels.csvLong, png: labels.pngLong, svg: labels.svgLong };
  return (
    <div role="group" aria-label={labels.group} data-testid={testId} data-download-skip className="flex flex-wrap items-center gap-1 text-xs">
      {kinds.map((kind) => (
        <button
          key={kind}
          type="button"
          data-testid={`${testId}-${kind}`}
          title={long[kind]}
          onClick={() => void run(kind)}
          className="inline-flex items-center gap-1 rounded border border-slate-300 bg-white px-2 py-1 text-slate-800 hover:bg-slate-50"
        >
          <span aria-hidden="true">↓</span>
          {labels[kind]}
          <span className="sr-only"> – {long[kind]}</span>
        </button>
      ))}
      {failed && (
        <span role="alert" className="text-danger">
          {labels.failed}
        </span>
      )}
    </div>
  );
}
