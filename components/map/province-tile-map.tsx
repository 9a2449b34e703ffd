// The tile-grid map: one square per province in a CSS grid, coloured by class, hatched when suppressed, with the
// provinces' cities as dots in the city layer. Server-rendered links, so it works without JavaScript and by keyboard.
import Link from 'next/link';
import { CLASS_COLOURS, CLASS_TEXT } from '@/lib/map/colour-classes';
import { TILE_COLUMNS, TILE_ROWS } from '@/lib/map/province-tiles';

export const HATCH = 'repeating-linear-gradient(45deg, #94a3b8 0 1.5px, #f1f5f9 1.5px 6px)';

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
  state: 'shown' | 'suppressed' | 'no_data' | 'not_surveyed';
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

function Tile({ tile }: { tile: MapTile }) {
  const showsDots = tile.dots !== null;
  const background =
    tile.state === 'shown' && tile.classIndex !== null && !showsDots ? CLASS_COLOURS[tile.classIndex] : tile.state === 'not_surveyed' ? '#ffffff' : tile.state === 'no_data' ? '#d1d5db' : '#f1f5f9';
  const color = tile.state === 'shown' && tile.classIndex !== null && !showsDots ? CLASS_TEXT[tile.classIndex] : '#334155';
  const style: React.CSSProperties = {
    gridColumn: tile.column + 1,
    gridRow: tile.row + 1,
    background,
    color,
    ...(tile.state === 'suppressed' && !showsDots ? { backgroundImage: HATCH } : {}),
    opacity: tile.dimmed ? 0.35 : 1,
  };
  const className = `relative flex aspect-square flex-col items-center justify-start overflow-hidden rounded-[3px] p-[2px] text-center leading-tight ${
    tile.state === 'not_surveyed' ? 'border border-dashed border-slate-400' : 'border border-slate-300'
  } ${tile.selected ? 'ring-2 ring-red-700 ring-offset-1' : ''}`;
  const dots = tile.dots ?? [];
  const content = (
    <>
      <span className="text-[10px] font-semibold sm:text-xs">{tile.label}</span>
      {!showsDots && tile.valueText && <span className="text-[10px] tabular-nums sm:text-xs">{tile.valueText}</span>}
    </>
  );
  const linkClass = 'hover:outline hover:outline-2 hover:outline-slate-700 focus-visible:outline focus-visible:outline-2';
  if (showsDots) {
    // City layer: the province's name opens its cities, each dot opens its city (links cannot nest).
    return (
      <div style={style} className={className} data-testid={`map-tile-${tile.code}`} data-state={tile.state}>
        {tile.href ? (
          <Link href={tile.href} scroll={false} className={`rounded-sm ${linkClass}`} title={tile.description} aria-label={`${tile.label} · ${tile.description}`} aria-current={tile.selected ? 'true' : undefined}>
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
      <div style={style} className={className} title={tile.description} aria-label={`${tile.label} · ${tile.description}`} data-testid={`map-tile-${tile.code}`} data-state={tile.state}>
        {content}
      </div>
    );
  }
  return (
    <Link href={tile.href} scroll={false} style={style} className={`${className} ${linkClass}`} title={tile.description} aria-label={`${tile.label} · ${tile.description}`} aria-current={tile.selected ? 'true' : undefined} data-testid={`map-tile-${tile.code}`} data-state={tile.state}>
      {content}
    </Link>
  );
}

export function MapLegend({ items, suppressedLabel, notSurveyedLabel, noDataLabel, title, dotNote }: { items: string[]; suppressedLabel: string; notSurveyedLabel: string; noDataLabel: string; title: string; dotNote: string | null }) {
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
