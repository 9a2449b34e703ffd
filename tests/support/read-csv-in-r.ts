// Reads a CSV download in R exactly as the file's first note tells a reader to: read.csv(file, comment.char = "#",
// fileEncoding = "UTF-8-BOM"), every column as text. Returns the header and rows, or null when Rscript is missing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const hasRscript = spawnSync('Rscript', ['--version'], { stdio: 'ignore' }).status === 0;

const SCRIPT = [
  'args <- commandArgs(trailingOnly = TRUE)',
  'd <- read.csv(args[1], comment.char = "#", fileEncoding = "UTF-8-BOM", check.names = FALSE, colClasses = "character", na.strings = character(0))',
  'con <- file(args[2], open = "w", encoding = "UTF-8")',
  'writeLines(paste(names(d), collapse = "\\t"), con)',
  'for (i in seq_len(nrow(d))) writeLines(paste(unlist(d[i, ]), collapse = "\\t"), con)',
  'close(con)',
].join('\n');

export function readCsvInR(csv: string | Buffer): { header: string[]; rows: string[][] } | null {
  if (!hasRscript) return null;
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'csv-in-r-'));
  try {
    const file = path.join(folder, 'download.csv');
    const out = path.join(folder, 'read.tsv');
    fs.writeFileSync(file, csv);
    const result = spawnSync('Rscript', ['-e', SCRIPT, file, out], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`R could not read the CSV: ${result.stderr}`);
    const [header = '', ...rows] = fs.readFileSync(out, 'utf8').replace(/\n$/, '').split('\n');
    return { header: header.split('\t'), rows: rows.map((row) => row.split('\t')) };
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
