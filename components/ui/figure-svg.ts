// A figure on the page as one standalone, pure SVG file (rect, line, circle, text and the charts' own SVG shapes; no
// foreignObject, no stylesheet), so that Illustrator, Inkscape and office tools open it as drawn. Browser-only: it
// reads the laid-out page (positions, computed colours and fonts) and writes what it sees.

const SVG = 'http://www.w3.org/2000/svg';
const FONT = '"Noto Sans CJK SC", "Noto Sans SC", sans-serif';

export const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

let canvasContext: CanvasRenderingContext2D | null | undefined;
function context2d(): CanvasRenderingContext2D | null {
  if (canvasContext === undefined) {
    const canvas = document.createElement('canvas');
    canvas.width = 1;
    canvas.height = 1;
    canvasContext = canvas.getContext('2d', { willReadFrequently: true });
  }
  return canvasContext;
}

const colourCache = new Map<string, { hex: string; alpha: number }>();
/**
 * Any CSS colour (the page's oklch theme colours included) as sRGB hex and an alpha, which every SVG reader knows:
 * painted on a one-pixel canvas and read back.
 */
function sRgb(colour: string): { hex: string; alpha: number } {
  const cached = colourCache.get(colour);
  if (cached) return cached;
  let result = { hex: '#000000', alpha: 1 };
  const context = context2d();
  if (colour === 'transparent' || colour === 'none' || /^rgba\(.*,\s*0\)$/.test(colour)) result = { hex: 'none', alpha: 0 };
  else if (context) {
    context.clearRect(0, 0, 1, 1);
    context.fillStyle = '#000000';
    context.fillStyle = colour;
    context.fillRect(0, 0, 1, 1);
    const [r = 0, g = 0, b = 0, a = 0] = context.getImageData(0, 0, 1, 1).data;
    result = a === 0 ? { hex: 'none', alpha: 0 } : { hex: `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`, alpha: Math.round((a / 255) * 1000) / 1000 };
  }
  colourCache.set(colour, result);
  return result;
}

/** fill="…" (and fill-opacity) or stroke="…" for a CSS colour; '' when it paints nothing. */
function paint(attribute: 'fill' | 'stroke', colour: string, opacity = 1): string {
  const { hex, alpha } = sRgb(colour);
  if (hex === 'none') return `${attribute}="none"`;
  const total = alpha * opacity;
  return `${attribute}="${hex}"${total < 1 ? ` ${attribute}-opacity="${Math.round(total * 1000) / 1000}"` : ''}`;
}

const round = (v: number) => Math.round(v * 10) / 10;

/** Breaks text into lines no wider than `width` px at the given font (measured, so Chinese and Latin both fit). */
export function wrapText(text: string, width: number, font: string): string[] {
  const context = context2d();
  if (!context) return [text];
  context.font = font;
  const lines: string[] = [];
  // Latin words stay whole; CJK characters may break anywhere.
  const tokens = text.match(/[\u3000-\u9fff\uff00-\uffef]|[^\s\u3000-\u9fff\uff00-\uffef]+\s*|\s+/g) ?? [text];
  // A token wider than the line (a long URL) is broken between characters.
  const pieces = tokens.flatMap((token) => {
    if (context.measureText(token).width <= width) return [token];
    const parts: string[] = [];
    let part = '';
    for (const character of token) {
      if (part && context.measureText(part + character).width > width) {
        parts.push(part);
        part = character;
      } else part += character;
    }
    return part ? [...parts, part] : parts;
  });
  let line = '';
  for (const token of pieces) {
    if (line && context.measureText(line + token).width > width) {
      lines.push(line.trimEnd());
      line = token.trimStart();
    } else line += token;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

// Presentation properties an SVG chart may take from classes or inheritance, written onto each shape as attributes.
const SVG_PROPERTIES = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-linecap', 'stroke-linejoin', 'opacity', 'fill-opacity', 'stroke-opacity', 'font-size', 'font-weight', 'font-style', 'text-anchor', 'dominant-baseline', 'visibility'] as const;
const TEXT_ONLY = new Set<string>(['font-size', 'font-weight', 'font-style', 'text-anchor', 'dominant-baseline']);
// Values SVG assumes anyway: left out to keep the file small.
const DEFAULTS: Partial<Record<(typeof SVG_PROPERTIES)[number], string>> = {
  'stroke-dasharray': 'none',
  'stroke-linecap': 'butt',
  'stroke-linejoin': 'miter',
  opacity: '1',
  'fill-opacity': '1',
  'stroke-opacity': '1',
  'font-style': 'normal',
  'text-anchor': 'start',
  visibility: 'visible',
};

/**
 * A copy of an SVG drawing whose every shape carries its computed presentation (colours as sRGB hex), so that it
 * needs none of the page's stylesheets; hidden parts and elements marked data-download-skip are left out.
 */
function standaloneSvg(drawing: SVGSVGElement, x: number, y: number): string {
  const rect = drawing.getBoundingClientRect();
  const copy = drawing.cloneNode(true) as SVGSVGElement;
  const originals = [drawing, ...Array.from(drawing.querySelectorAll('*'))];
  const copies = [copy, ...Array.from(copy.querySelectorAll('*'))];
  const drop: Element[] = [];
  originals.forEach((original, i) => {
    const target = copies[i]!;
    if (original.hasAttribute('data-download-skip')) {
      drop.push(target);
      return;
    }
    const style = getComputedStyle(original);
    if (style.display === 'none') {
      drop.push(target);
      return;
    }
    const isText = original instanceof SVGTextElement || original instanceof SVGTSpanElement;
    for (const property of SVG_PROPERTIES) {
      const value = style.getPropertyValue(property);
      if (!value || value === 'normal' || value === 'auto' || DEFAULTS[property] === value) continue;
      if (!isText && TEXT_ONLY.has(property)) continue;
      if (property === 'fill' || property === 'stroke') {
        if (value.startsWith('url(')) continue;
        const { hex, alpha } = sRgb(value);
        target.setAttribute(property, hex);
        if (hex !== 'none' && alpha < 1) target.setAttribute(`${property}-opacity`, String(alpha));
      } else target.setAttribute(property, value);
    }
    if (isText) target.setAttribute('font-family', FONT);
    target.removeAttribute('class');
    target.removeAttribute('style');
    target.removeAttribute('tabindex');
  });
  for (const element of drop) element.remove();
  copy.setAttribute('xmlns', SVG);
  copy.setAttribute('width', String(Math.ceil(rect.width)));
  copy.setAttribute('height', String(Math.ceil(rect.height)));
  if (!copy.getAttribute('viewBox')) copy.setAttribute('viewBox', `0 0 ${Math.ceil(rect.width)} ${Math.ceil(rect.height)}`);
  copy.setAttribute('x', String(round(x)));
  copy.setAttribute('y', String(round(y)));
  return new XMLSerializer().serializeToString(copy);
}

/** Whether an element draws nothing or is only for screen readers (sr-only: a 1 px clipped box). */
function invisible(element: Element, style: CSSStyleDeclaration): boolean {
  if (style.display === 'none' || style.visibility === 'hidden' || Number(style.opacity) === 0) return true;
  const box = element.getBoundingClientRect();
  if ((box.width <= 1 || box.height <= 1) && (style.overflow === 'hidden' || style.clipPath !== 'none' || style.clip !== 'auto')) return true;
  return false;
}

const ascentCache = new Map<string, number>();
/** The distance from a line box's top to its baseline for a font, measured on a canvas. */
function ascent(font: string, size: number): number {
  const cached = ascentCache.get(font);
  if (cached !== undefined) return cached;
  const context = context2d();
  let value = size * 0.88;
  if (context) {
    context.font = font;
    const metrics = context.measureText('Hg国');
    if (metrics.fontBoundingBoxAscent) value = metrics.fontBoundingBoxAscent;
  }
  ascentCache.set(font, value);
  return value;
}

/**
 * A figure laid out in HTML (tile map, equiplot, small multiples, heat-map matrix) redrawn as SVG shapes: every box
 * with a background or a border as a rect (a round dot as a circle), every visible line of text as a text element
 * at its baseline, and any SVG drawing inside copied in place.
 */
function htmlAsSvg(figure: HTMLElement, offsetX: number, offsetY: number): string {
  const origin = figure.getBoundingClientRect();
  const at = (v: number, base: number, offset: number) => round(v - base + offset);
  const parts: string[] = [];
  const visit = (element: Element, inheritedOpacity: number) => {
    if (element.hasAttribute('data-download-skip')) return;
    const style = getComputedStyle(element);
    if (invisible(element, style)) return;
    const opacity = inheritedOpacity * Number(style.opacity || 1);
    if (element instanceof SVGSVGElement) {
      const box = element.getBoundingClientRect();
      if (box.width > 0 && box.height > 0) parts.push(standaloneSvg(element, at(box.left, origin.left, offsetX), at(box.top, origin.top, offsetY)));
      return;
    }
    const box = element.getBoundingClientRect();
    if (box.width > 0 && box.height > 0) {
      const x = at(box.left, origin.left, offsetX);
      const y = at(box.top, origin.top, offsetY);
      const background = style.backgroundColor;
      if (sRgb(background).hex !== 'none') {
        const radius = parseFloat(style.borderTopLeftRadius) || 0;
        if (radius >= Math.min(box.width, box.height) / 2 - 0.5 && Math.abs(box.width - box.height) < 1) {
          parts.push(`<circle cx="${round(x + box.width / 2)}" cy="${round(y + box.height / 2)}" r="${round(box.width / 2)}" ${paint('fill', background, opacity)}/>`);
        } else {
          parts.push(`<rect x="${x}" y="${y}" width="${round(box.width)}" height="${round(box.height)}"${radius ? ` rx="${round(Math.min(radius, box.height / 2))}"` : ''} ${paint('fill', background, opacity)}/>`);
        }
      }
      const sides = [
        ['Top', x, y, x + box.width, y],
        ['Bottom', x, y + box.height, x + box.width, y + box.height],
        ['Left', x, y, x, y + box.height],
        ['Right', x + box.width, y, x + box.width, y + box.height],
      ] as const;
      for (const [side, x1, y1, x2, y2] of sides) {
        const width = parseFloat(style.getPropertyValue(`border-${side.toLowerCase()}-width`)) || 0;
        const lineStyle = style.getPropertyValue(`border-${side.toLowerCase()}-style`);
        const colour = style.getPropertyValue(`border-${side.toLowerCase()}-color`);
        if (width <= 0 || lineStyle === 'none' || lineStyle === 'hidden' || sRgb(colour).hex === 'none') continue;
        // The border lies inside the box: draw its centre line.
        const inset = width / 2;
        const [dx1, dy1, dx2, dy2] = side === 'Top' ? [0, inset, 0, inset] : side === 'Bottom' ? [0, -inset, 0, -inset] : side === 'Left' ? [inset, 0, inset, 0] : [-inset, 0, -inset, 0];
        const dash = lineStyle === 'dotted' ? ` stroke-dasharray="${round(width)} ${round(width * 2)}"` : lineStyle === 'dashed' ? ` stroke-dasharray="${round(width * 3)} ${round(width * 2)}"` : '';
        parts.push(`<line x1="${round(x1 + dx1)}" y1="${round(y1 + dy1)}" x2="${round(x2 + dx2)}" y2="${round(y2 + dy2)}" stroke-width="${round(width)}" ${paint('stroke', colour, opacity)}${dash}/>`);
      }
    }
    for (const child of Array.from(element.childNodes)) {
      if (child.nodeType === Node.TEXT_NODE) parts.push(...textAsSvg(child as Text, style, origin, offsetX, offsetY, opacity));
      else if (child.nodeType === Node.ELEMENT_NODE) visit(child as Element, opacity);
    }
  };
  visit(figure, 1);
  return parts.join('');
}

/** One text node as SVG text elements, one per rendered line, at the positions the page gives them. */
function textAsSvg(node: Text, style: CSSStyleDeclaration, origin: DOMRect, offsetX: number, offsetY: number, opacity: number): string[] {
  const raw = node.data;
  if (!raw.trim()) return [];
  const range = document.createRange();
  range.selectNodeContents(node);
  const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0 && r.height > 0);
  if (rects.length === 0) return [];
  const size = parseFloat(style.fontSize) || 12;
  const font = `${style.fontStyle} ${style.fontWeight} ${size}px ${FONT}`;
  const transform = (text: string) => (style.textTransform === 'uppercase' ? text.toUpperCase() : style.textTransform === 'lowercase' ? text.toLowerCase() : text);
  // Lines: one rect each. A node on several lines is split character by character where the line's top changes.
  const lines: Array<{ text: string; left: number; top: number }> = [];
  if (rects.length === 1) lines.push({ text: raw, left: rects[0]!.left, top: rects[0]!.top });
  else {
    let current: { text: string; left: number; top: number } | null = null;
    for (let i = 0; i < raw.length; i++) {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = Array.from(range.getClientRects()).find((r) => r.height > 0);
      if (!box) {
        if (current) current.text += raw[i];
        continue;
      }
      if (!current || Math.abs(box.top - current.top) > size / 2) {
        if (current) lines.push(current);
        current = { text: raw[i]!, left: box.left, top: box.top };
      } else current.text += raw[i];
    }
    if (current) lines.push(current);
  }
  // A line cut short on the page (text-overflow: ellipsis) is cut the same way here.
  const parent = node.parentElement;
  const clipRight = parent && style.textOverflow === 'ellipsis' && parent.scrollWidth > parent.clientWidth ? parent.getBoundingClientRect().right : null;
  const context = context2d();
  const out: string[] = [];
  for (const line of lines) {
    let text = transform(line.text.replace(/\s+/g, ' ')).trim();
    if (!text) continue;
    const leading = line.text.length - line.text.trimStart().length;
    let left = line.left;
    if (leading > 0 && context) {
      context.font = font;
      left += context.measureText(line.text.slice(0, leading).replace(/\s+/g, ' ')).width;
    }
    if (clipRight !== null && context) {
      context.font = font;
      if (left + context.measureText(text).width > clipRight) {
        while (text.length > 1 && left + context.measureText(`${text}…`).width > clipRight) text = text.slice(0, -1);
        text = `${text}…`;
      }
    }
    const x = round(left - origin.left + offsetX);
    const y = round(line.top - origin.top + offsetY + ascent(font, size));
    const weight = style.fontWeight !== '400' ? ` font-weight="${style.fontWeight}"` : '';
    const italic = style.fontStyle === 'italic' ? ' font-style="italic"' : '';
    out.push(`<text x="${x}" y="${y}" font-size="${round(size)}"${weight}${italic} ${paint('fill', style.color, opacity)}>${escapeXml(text)}</text>`);
  }
  return out;
}

/**
 * The figure as one standalone SVG: its title on top, the drawing, and the provenance caption below. A figure drawn
 * as one SVG (Recharts, the trend and model plots) is copied with its presentation written onto its shapes; a figure
 * laid out in HTML is redrawn as SVG shapes and text.
 */
export function figureSvg(figure: HTMLElement, title: string, provenance: readonly string[]): { svg: string; width: number; height: number } {
  const box = figure.getBoundingClientRect();
  const width = Math.max(480, Math.ceil(box.width) + 24);
  const captionFont = `12px ${FONT}`;
  const titleLines = wrapText(title, width - 24, `600 15px ${FONT}`);
  const captionLines = provenance.flatMap((line) => wrapText(line, width - 24, captionFont));
  const top = 16 + titleLines.length * 20;
  const drawings = Array.from(figure.querySelectorAll('svg')).filter((s) => s.getBoundingClientRect().width >= 60 && s.getBoundingClientRect().height >= 40);
  let body: string;
  let bodyHeight: number;
  if (drawings.length === 1) {
    const drawing = drawings[0]!;
    const rect = drawing.getBoundingClientRect();
    body = standaloneSvg(drawing, 12 + Math.max(0, Math.round(rect.left - box.left)), top);
    bodyHeight = Math.ceil(rect.height);
  } else {
    body = `<g data-figure="html">${htmlAsSvg(figure, 12, top)}</g>`;
    bodyHeight = Math.ceil(box.height);
  }
  const captionTop = top + bodyHeight + 16;
  const height = captionTop + captionLines.length * 16 + 12;
  const text = (lines: string[], y: number, step: number, attrs: string) =>
    lines.map((line, i) => `<text x="12" y="${y + i * step}" ${attrs}>${escapeXml(line)}</text>`).join('');
  const svg =
    `<svg xmlns="${SVG}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT)}">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    text(titleLines, 24, 20, 'font-size="15" font-weight="600" fill="#0f172a"') +
    body +
    `<g data-provenance="true">${text(captionLines, captionTop, 16, 'font-size="12" fill="#334155"')}</g>` +
    `</svg>`;
  return { svg, width, height };
}
