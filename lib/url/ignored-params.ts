// Which URL parameters a page's zod schema did not accept: a value was given but the parsed filters hold another
// (the schema's fallback). Pages name these in a notice instead of showing defaults without a word.

export interface IgnoredParam {
  /** The parameter's name in the URL (indicator, wave, hukou, …). */
  name: string;
  /** What the URL said (cut to 40 characters: it is echoed on the page). */
  given: string;
  /** The value used instead, as stored in the filters; null when the filter is off (all). */
  used: string | null;
}

const firstValue = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export function findIgnoredParams(
  raw: Record<string, string | string[] | undefined>,
  parsed: Record<string, unknown>,
  names: readonly string[] = Object.keys(parsed),
): IgnoredParam[] {
  const ignored: IgnoredParam[] = [];
  for (const name of names) {
    const given = firstValue(raw[name]);
    if (given === undefined || given === '') continue;
    const value = parsed[name];
    const used = value === null || value === undefined ? null : String(value);
    if (used !== given) ignored.push({ name, given: given.length > 40 ? `${given.slice(0, 39)}…` : given, used });
  }
  return ignored;
}
