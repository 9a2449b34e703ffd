// Secondary (complementary) cell suppression for linked tables of weighted means and proportions, and the interval
// attacker it is checked against. Pure: numbers in, statuses and intervals out; no database or framework imports.
//
// A table is a list of cells (an estimate, the weighted total W behind it, the value's natural bounds) and a list of
// additive relations: W_total * x_total = sum over members of W_member * x_member (hukou all = rural + urban, range
// all = the three ranges, city -> province / tier, province -> region, region / tier -> national). An attacker who
// reads the published estimates and knows (or over-estimates) the weights can bound every suppressed cell by
// propagating intervals through those relations. A primary (sensitive) cell is protected when its feasible interval
// is at least `2 * protection` wide: nobody can then state its value to within +-protection. Complementary cells are
// not sensitive (they hold enough respondents) and carry no protection requirement, as in sdcTable and tau-ARGUS. Following sdcTable's simple
// heuristic (and tau-ARGUS's "protection interval"), the routine adds complementary suppressions until the attacker
// fails on every suppressed cell, preferring cells with the smallest weight that give enough protection.

/** published: shown; primary: too few respondents; secondary: hidden so that a primary cell cannot be derived;
 * unpublished: a cell of a level the app never shows (an unknown to the attacker, never shown). */
export type CellStatus = 'published' | 'primary' | 'secondary' | 'unpublished';

export interface SuppressionCell {
  /** The exact estimate (null when there is none, e.g. no respondents). Only published cells' values are used. */
  value: number | null;
  /** Weighted total behind the estimate (sum of weights of the cell's respondents); 0 when the cell is empty. */
  weight: number;
  /** Natural bounds of the value that an attacker knows: 0-1 for a proportion, 0-100 for an index score. */
  lower: number;
  upper: number;
  /** Primary-suppressed (too few respondents, no design df). */
  primary: boolean;
  /** Never published (its level is not shown anywhere): hidden from the start, but not sensitive itself. */
  unpublished?: boolean;
}

export interface AdditiveRelation {
  /** Index of the total cell. */
  total: number;
  /** Indices of the member cells whose weighted sum is the total. */
  members: number[];
}

export interface SecondarySuppressionOptions {
  /** Half-width, in the value's units, that every suppressed cell's feasible interval must exceed on average:
   * the interval must be at least 2 * protection wide. Either one number or one per cell. */
  protection: number | ((cell: number) => number);
  /** Safety bound on the number of audit-and-extend rounds. */
  maxRounds?: number;
  /** Complementary cells chosen beforehand by a table-aware rule (e.g. the hypercube of indicator-cells.ts); the
   * routine then only closes what they leave open. */
  initialSecondary?: readonly number[];
  /** Require the protection interval of complementary cells too, not only of primary ones: all of them (true), or
   * those the function names (e.g. not the province totals that only protect their cities). */
  protectSecondary?: boolean | ((cell: number) => boolean);
}

export interface SecondarySuppressionResult {
  status: CellStatus[];
  /** Interval an attacker can derive for each suppressed cell under the final pattern (null for published cells);
   * only primary cells are required to be at least 2 * protection wide. */
  intervals: Array<[number, number] | null>;
  rounds: number;
  /** Suppressed cells still narrower than required (should be empty; non-empty only if no candidate was left). */
  unprotected: number[];
}

/**
 * Feasible interval of every suppressed cell, by interval propagation over the relations until nothing narrows (the
 * attacker of tests/disclosure). Published cells are taken at their exact value, which is stronger than an attacker
 * reading rounded figures.
 */
export function auditSuppressedIntervals(cells: readonly SuppressionCell[], relations: readonly AdditiveRelation[], suppressed: readonly boolean[], maxSweeps = 60): Array<[number, number] | null> {
  const lo = cells.map((c) => c.lower);
  const hi = cells.map((c) => c.upper);
  // Only relations with a suppressed cell that carries weight can narrow anything.
  const active = relations.filter((r) => [r.total, ...r.members].some((i) => suppressed[i] && (cells[i] as SuppressionCell).weight > 0));
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let changed = false;
    for (const relation of active) {
      // sum_j a_j x_j = 0 with a = +W for members, -W for the total.
      const terms: Array<[number, number]> = relation.members.map((i) => [i, (cells[i] as SuppressionCell).weight]);
      terms.push([relation.total, -(cells[relation.total] as SuppressionCell).weight]);
      let knownSum = 0;
      let minSum = 0;
      let maxSum = 0;
      const unknown: Array<[number, number]> = [];
      for (const [i, a] of terms) {
        if (a === 0) continue;
        if (!suppressed[i]) {
          const value = (cells[i] as SuppressionCell).value;
          knownSum += a * (value ?? 0);
          continue;
        }
        unknown.push([i, a]);
        minSum += a > 0 ? a * (lo[i] as number) : a * (hi[i] as number);
        maxSum += a > 0 ? a * (hi[i] as number) : a * (lo[i] as number);
      }
      for (const [j, a] of unknown) {
        // a_j x_j = -knownSum - (sum of the other unknown terms)
        const ownMin = a > 0 ? a * (lo[j] as number) : a * (hi[j] as number);
        const ownMax = a > 0 ? a * (hi[j] as number) : a * (lo[j] as number);
        const restMin = minSum - ownMin;
        const restMax = maxSum - ownMax;
        const low = -knownSum - restMax;
        const high = -knownSum - restMin;
        const [newLo, newHi] = a > 0 ? [low / a, high / a] : [high / a, low / a];
        const tolerance = 1e-12 * Math.max(1, Math.abs(newLo), Math.abs(newHi));
        if (newLo > (lo[j] as number) + tolerance) {
          lo[j] = Math.min(newLo, hi[j] as number);
          changed = true;
        }
        if (newHi < (hi[j] as number) - tolerance) {
          hi[j] = Math.max(newHi, lo[j] as number);
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return cells.map((_, i) => (suppressed[i] ? [lo[i] as number, hi[i] as number] : null));
}

/**
 * Primary suppression in, a pattern in which no primary cell can be bounded to within +-protection out. Greedy:
 * audit, and for each under-protected cell suppress one more cell near it (in its relations, or in the relations of
 * the cells hidden with it), preferring the cell that leaves fewest relations with a single hidden cell, then one
 * whose range alone gives the missing width, then the smallest weight. Repeat until the audit passes.
 */
export function suppressComplementaryCells(cells: readonly SuppressionCell[], relations: readonly AdditiveRelation[], options: SecondarySuppressionOptions): SecondarySuppressionResult {
  const protection = typeof options.protection === 'number' ? () => options.protection as number : options.protection;
  const suppressed = cells.map((c) => c.primary || c.unpublished === true);
  const secondary = cells.map(() => false);
  const byCell = new Map<number, AdditiveRelation[]>();
  for (const relation of relations) {
    for (const i of [relation.total, ...relation.members]) {
      const list = byCell.get(i);
      if (list) list.push(relation);
      else byCell.set(i, [relation]);
    }
  }
  const maxRounds = options.maxRounds ?? 200;
  const hiddenIn = (relation: AdditiveRelation) => [relation.total, ...relation.members].filter((i) => suppressed[i] && (cells[i] as SuppressionCell).weight > 0).length;
  // Relations of k left with a single hidden cell (opened) minus those hiding k completes (closed).
  const netSingletons = (k: number) => {
    let net = 0;
    for (const r of byCell.get(k) ?? []) {
      const hidden = hiddenIn(r);
      if (hidden === 0) net += 1;
      else if (hidden === 1) net -= 1;
    }
    return net;
  };
  const hide = (k: number) => {
    suppressed[k] = true;
    secondary[k] = true;
  };
  for (const k of options.initialSecondary ?? []) if (!suppressed[k] && (cells[k] as SuppressionCell).weight > 0) hide(k);
  // Step 1 (cheap, no audit): no relation may keep exactly one hidden cell, or that cell follows by subtraction.
  // Close each such relation with the member that opens fewest new ones, then (for a primary cell) one whose range
  // alone protects it, then the smallest; totals only when no member is left.
  const closeSingletons = () => {
    for (let pass = 0; pass < 1000; pass++) {
      let changed = false;
      for (const relation of relations) {
        const all = [relation.total, ...relation.members];
        const hidden = all.filter((i) => suppressed[i] && (cells[i] as SuppressionCell).weight > 0);
        if (hidden.length !== 1) continue;
        const lone = hidden[0] as number;
        const loneCell = cells[lone] as SuppressionCell;
        // An unpublished cell (a province) that follows from published ones discloses nothing.
        if (loneCell.unpublished) continue;
        const need = loneCell.primary ? 2 * protection(lone) : 0;
        let best: { k: number; net: number; enough: boolean; total: boolean; weight: number } | null = null;
        for (const k of all) {
          const other = cells[k] as SuppressionCell;
          if (suppressed[k] || other.weight <= 0 || other.value === null) continue;
          const candidate = { k, net: netSingletons(k), enough: (other.weight * (other.upper - other.lower)) / loneCell.weight >= need, total: k === relation.total, weight: other.weight };
          if (
            !best ||
            (candidate.total !== best.total ? !candidate.total : candidate.net !== best.net ? candidate.net < best.net : candidate.enough !== best.enough ? candidate.enough : candidate.weight < best.weight)
          ) {
            best = candidate;
          }
        }
        if (best) {
          hide(best.k);
          changed = true;
        }
      }
      if (!changed) return;
    }
  };
  let rounds = 0;
  closeSingletons();
  let intervals = auditSuppressedIntervals(cells, relations, suppressed);
  let unprotected: number[] = [];
  for (; rounds < maxRounds; rounds++) {
    const failing = underProtected(cells, intervals, secondary, protection, options.protectSecondary ?? false);
    if (failing.length === 0) {
      unprotected = [];
      break;
    }
    let added = 0;
    const touched = new Set<AdditiveRelation>();
    for (const j of failing) {
      const cell = cells[j] as SuppressionCell;
      const interval = intervals[j] as [number, number];
      const missing = 2 * protection(j) - (interval[1] - interval[0]);
      const direct = byCell.get(j) ?? [];
      // A relation already extended this round may have fixed j; check again next round instead of piling on.
      if (direct.some((r) => touched.has(r))) continue;
      // Candidates: published cells in j's relations, and in the relations of the cells hidden alongside j (which
      // is how a rectangle of hidden cells closes without touching a total).
      const reach = new Set(direct);
      for (const relation of direct) {
        for (const i of [relation.total, ...relation.members]) if (i !== j && suppressed[i]) for (const r of byCell.get(i) ?? []) reach.add(r);
      }
      const candidates = new Map<number, { k: number; sufficient: boolean; gain: number; net: number; weight: number }>();
      for (const relation of reach) {
        const isDirect = direct.includes(relation);
        for (const k of [relation.total, ...relation.members]) {
          const other = cells[k] as SuppressionCell;
          if (suppressed[k] || other.weight <= 0 || other.value === null) continue;
          // Directly, suppressing k lets x_j move by W_k * (range of x_k) / W_j within the shared relation.
          const gain = isDirect ? (other.weight * (other.upper - other.lower)) / Math.max(cell.weight, 1e-300) : 0;
          const known = candidates.get(k);
          if (known) {
            known.gain = Math.max(known.gain, gain);
            known.sufficient ||= gain >= missing;
            continue;
          }
          candidates.set(k, { k, sufficient: gain >= missing, gain, net: netSingletons(k), weight: other.weight });
        }
      }
      if (candidates.size === 0) continue;
      const pick = [...candidates.values()].reduce((a, b) => {
        if (a.net !== b.net) return b.net < a.net ? b : a;
        if (a.sufficient !== b.sufficient) return b.sufficient ? b : a;
        if (!a.sufficient && a.gain !== b.gain) return b.gain > a.gain ? b : a;
        return b.weight < a.weight ? b : a;
      });
      hide(pick.k);
      for (const relation of byCell.get(pick.k) ?? []) touched.add(relation);
      added++;
    }
    closeSingletons();
    intervals = auditSuppressedIntervals(cells, relations, suppressed);
    if (added === 0) {
      unprotected = underProtected(cells, intervals, secondary, protection, options.protectSecondary ?? false);
      break;
    }
  }
  if (rounds === maxRounds) unprotected = underProtected(cells, intervals, secondary, protection, options.protectSecondary ?? false);
  return {
    status: cells.map((c, i) => (c.primary ? 'primary' : c.unpublished ? 'unpublished' : secondary[i] ? 'secondary' : 'published')),
    intervals,
    rounds,
    unprotected,
  };
}

export function underProtected(
  cells: readonly SuppressionCell[],
  intervals: Array<[number, number] | null>,
  secondary: readonly boolean[],
  protection: (cell: number) => number,
  protectSecondary: boolean | ((cell: number) => boolean),
): number[] {
  const failing: number[] = [];
  const guarded = typeof protectSecondary === 'function' ? protectSecondary : () => protectSecondary;
  cells.forEach((cell, i) => {
    const interval = intervals[i];
    // The sensitive (primary) cells need an interval; complementary cells only when asked (they hold enough
    // respondents, but a reader should not be able to undo the suppression a page shows either).
    if (!(cell.primary || (secondary[i] && guarded(i))) || !interval || cell.weight <= 0) return;
    if (interval[1] - interval[0] < 2 * protection(i)) failing.push(i);
  });
  // Smallest cells first: they are the hardest to protect and their fixes often protect the others.
  return failing.sort((a, b) => (cells[a] as SuppressionCell).weight - (cells[b] as SuppressionCell).weight);
}
