// The small-cell rule: an estimate from fewer than SUPPRESSION_MIN_N respondents (default 30), or with no design
// degrees of freedom left for its variance, is not shown anywhere; its n still is, so readers see why.

export interface CellEstimate {
  n: number;
  df: number;
  estimate: number | null;
  se: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export interface PublishedCell extends CellEstimate {
  suppressed: boolean;
}

export function isSmallCell(n: number, df: number, minN: number): boolean {
  return n < minN || df < 1;
}

export function suppressSmallCells<T extends CellEstimate>(cell: T, minN: number): T & { suppressed: boolean } {
  if (isSmallCell(cell.n, cell.df, minN)) {
    return { ...cell, estimate: null, se: null, ciLow: null, ciHigh: null, suppressed: true };
  }
  return { ...cell, suppressed: false };
}
