// The shape every survey-file reader (CSV, Stata .dta, SPSS .sav) returns, so the mapping and the loader do not care
// which format a file came in. Pure types: no I/O, no framework.

export type SourceFormat = 'csv' | 'dta' | 'sav';

/**
 * A missing value that the file distinguishes: Stata's '.', '.a' … '.z'; SPSS's system-missing ('sysmis') or a
 * user-missing code (its value as text, e.g. '9'). Kept apart from plain null so the dry run can count them by code.
 */
export class MissingValue {
  constructor(
    readonly code: string,
    readonly label: string | null = null,
  ) {}
}

export type Cell = number | string | null | MissingValue;

export interface SourceVariable {
  name: string;
  label: string | null;
  type: 'numeric' | 'string';
  /** Value labels: code (number for numeric variables, text for string ones) → label. */
  valueLabels: Map<number | string, string>;
}

export interface SourceTable {
  format: SourceFormat;
  /** Text encoding the file's strings were decoded from. */
  encoding: string;
  fileLabel: string | null;
  variables: SourceVariable[];
  rowCount: number;
  /**
   * Rows in file order; every row has one cell per variable. With `wanted`, only those columns are decoded (the others
   * are null): a CMDS file has hundreds of variables and a mapping uses a few dozen. Readers throw SourceFileError on
   * a malformed row.
   */
  rows(wanted?: ReadonlySet<number>): Iterable<Cell[]>;
}

/** A problem with the file itself: says where (row, variable, byte offset) so the admin can find it. */
export class SourceFileError extends Error {
  constructor(
    message: string,
    readonly location: { row?: number; variable?: string; offset?: number } = {},
  ) {
    super(message);
    this.name = 'SourceFileError';
  }
}
