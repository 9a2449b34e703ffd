// The tile-grid map: one square per province in a CSS grid, coloured by class, hatched when suppressed, with the
// provinces' cities as dots in the city layer. Server-rendered links, so it works without JavaScript and by keyboard.
import Link from 'next/link';
import { CLASS_COLOURS, CLASS_TEXT } from '@/lib/map/colour-classes';
import { TILE_COLUMNS, TILE_ROWS } from '@/lib/map/province-tiles';

export const HATCH = 'repeating-linear-gradient(45deg, #94a3b8 0 1.5px, #f1f5f9 1.5px 6px)';

/** A range's fill: its class colour, or the two classes it straddles split along the diagonal. */
export function rangeFill(classRange: readonly [number, number]): string {
  const [from, to] = classRange;
  return from === to ? (CLASS_COLOURS[from] as string) : `linear-gradient(135deg, ${CLASS_COLOURS[from]} 50%, ${CLASS_COLOURS[to]} 50%)`;
}

export interface MapDot {
  code: string;
  href: string;
  /** Full reading for screen readers and the tooltip (value, CI and n, or the suppression notice). */
  description: string;
  classIndex: number | null;
  suppressed: boolean;
  /** Diameter as a percentage of the tile's width (so dots scale with the tile on a phone): by n for shown cells, the
   * smallest size for suppressed ones (their n is not disclosed). */
  size: number;
}

export interface MapTile {
  code: string;
  column: number;
  row: number;
  label: string;
  valueText: string | null;
  description: string;
  href: string | null;
  classIndex: number | null;
  /** For a province shown as a range: the first and last colour class the range spans. */
  classRange?: [number, number] | null;
  state: 'shown' | 'range' | 'suppressed' | 'no_data' | 'not_surveyed';
  selected: boolean;
  dimmed: boolean;
  dots: MapDot[] | null;
}

export function ProvinceTileMap({ tiles, title }: { tiles: MapTile[]; title: string }) {
  return (
    <div role="group" aria-label={title} data-testid="tile-map" className="grid w-full max-w-[640px] gap-[3px]" style={{ gridTemplateColumns: `repeat(${TILE_COLUMNS}, minmax(0, 1fr))`, gridTemplateRows: `repeat(${TILE_ROWS}, auto)` }}>
      {tiles.map((tile) => (
        <Tile key={tile.code} tile={tile} />
      ))}
    </div>
  );
}

/** The tile's accessible name starts with its visible text (label, then figure), as WCAG 2.5.3 asks, then says more. */
function tileName(tile: MapTile): string {
  const visible = tile.dots === null && tile.valueText ? `${tile.label} ${tile.valueText}` : tile.label;
  return `${visible} · ${tile.description}`;
}

function Tile({ tile }: { tile: MapTile }) {
  const showsDots = tile.dots !== null;
  const background =
    tile.state === 'shown' && tile.classIndex !== null && !showsDots ? CLASS_COLOURS[tile.classIndex] : tile.state === 'not_surveyed' ? '#ffffff' : tile.state === 'no_data' ? '#d1d5db' : '#f1f5f9';
  const color = tile.state === 'shown' && tile.classIndex !== null && !showsDots ? CLASS_TEXT[tile.classIndex] : '#334155';
  const ranged = tile.state === 'range' && tile.classRange && !showsDots ? tile.classRange : null;
  const style: React.CSSProperties = {
    gridColumn: tile.column + 1,
    gridRow: tile.row + 1,
    background: ranged ? rangeFill(ranged) : background,
    color,
    ...(tile.state === 'suppressed' && !showsDots ? { backgroundImage: HATCH } : {}),
    opacity: tile.dimmed ? 0.35 : 1,
  };
  const className = `relative flex aspect-square flex-col items-center justify-start overflow-hidden rounded-[3px] p-[2px] text-center leading-tight ${
    tile.state === 'not_surveyed' ? 'border border-dashed border-slate-400' : ranged ? 'border-2 border-dotted border-slate-700' : 'border border-slate-300'
  } ${tile.selected ? 'ring-2 ring-red-700 ring-offset-1' : ''}`;
  const dots = tile.dots ?? [];
  // On a range's one or two class colours the text sits on a light chip, so it stays readable on either.
  const chip = 'rounded-sm bg-white/90 px-[1px] text-slate-900';
  const content = (
    <>
      <span className={`text-[10px] font-semibold sm:text-xs ${ranged ? chip : ''}`}>{tile.label}</span>
      {/* A space between label and figure, so the visible text reads "HL 26.1%" as the accessible name does. */}
      {!showsDots && tile.valueText && ' '}
      {!showsDots && tile.valueText && <span className={`text-[10px] tabular-nums sm:text-xs ${ranged ? `${chip} italic` : ''}`}>{tile.valueText}</span>}
    </>
  );
  const linkClass = 'hover:outline hover:outline-2 hover:outline-slate-700 focus-visible:outline focus-visible:outline-2';
  if (showsDots) {
    // City layer: the province's name opens its cities, each dot opens its city (links cannot nest).
    return (
      <div style={style} className={className} data-testid={`map-tile-${tile.code}`} data-state={tile.state}>
        {tile.href ? (
          <Link href={tile.href} scroll={false} className={`rounded-sm ${linkClass}`} title={tile.description} aria-label={tileName(tile)} aria-current={tile.selected ? 'true' : undefined}>
            {content}
          </Link>
        ) : (
          <span title={tile.description}>{content}</span>
        )}
        <span className="mt-[1px] flex w-full flex-wrap items-center justify-center gap-[2px]">
          {dots.map((dot) => (
            <Link
              key={dot.code}
              href={dot.href}
              data-testid={`map-dot-${dot.code}`}
              title={dot.description}
              aria-label={dot.description}
              className="inline-block rounded-full border border-slate-700 hover:ring-2 hover:ring-red-700 focus-visible:ring-2"
              style={{
                width: `${dot.size}%`,
                aspectRatio: '1 / 1',
                background: dot.suppressed || dot.classIndex === null ? '#f1f5f9' : CLASS_COLOURS[dot.classIndex],
                ...(dot.suppressed ? { backgroundImage: HATCH } : {}),
              }}
            />
          ))}
        </span>
      </div>
    );
  }
  if (!tile.href) {
    return (
      <div style={style} className={className} title={tile.description} aria-label={tileName(tile)} data-testid={`map-tile-${tile.code}`} data-state={tile.state}>
        {content}
      </div>
    );
  }
  return (
    <Link href={tile.href} scroll={false} style={style} className={`${className} ${linkClass}`} title={tile.description} aria-label={tileName(tile)} aria-current={tile.selected ? 'true' : undefined} data-testid={`map-tile-${tile.code}`} data-state={tile.state}>
      {content}
    </Link>
  );
}

export function MapLegend({
  items,
  suppressedLabel,
  rangeLabel,
  notSurveyedLabel,
  noDataLabel,
  title,
  dotNote,
}: {
  items: string[];
  suppressedLabel: string;
  rangeLabel: string | null;
  notSurveyedLabel: string;
  noDataLabel: string;
  title: string;
  dotNote: string | null;
}) {
  const swatch = 'inline-block h-4 w-4 shrink-0 rounded-[2px] border border-slate-300';
  return (
    <div className="text-xs text-slate-700" data-testid="map-legend">
      <div className="mb-1 font-medium">{title}</div>
      <ul className="flex flex-wrap gap-x-3 gap-y-1">
        {items.map((item, i) => (
          <li key={item} className="flex items-center gap-1">
            <span className={swatch} style={{ background: CLASS_COLOURS[i] }} />
            <span className="tabular-nums">{item}</span>
          </li>
        ))}
        {rangeLabel && (
          <li className="flex items-center gap-1" data-testid="map-legend-range">
            <span className={`${swatch} border-2 border-dotted border-slate-700`} style={{ background: rangeFill([1, 2]) }} />
            {rangeLabel}
          </li>
        )}
        <li className="flex items-center gap-1">
          <span className={swatch} style={{ background: '#f1f5f9', backgroundImage: HATCH }} />
          {suppressedLabel}
        </li>
        <li className="flex items-center gap-1">
          <span className={swatch} style={{ background: '#d1d5db' }} />
          {noDataLabel}
        </li>
        <li className="flex items-center gap-1">
          <span className={`${swatch} border-dashed border-slate-400 bg-white`} />
          {notSurveyedLabel}
        </li>
      </ul>
      {dotNote && <p className="mt-1 text-slate-500">{dotNote}</p>}
    </div>
  );
}
