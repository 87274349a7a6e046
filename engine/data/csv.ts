/**
 * CSV loader: `csv:PATH` with an optional target column (name or index, default last).
 * Features must be numeric; the target decides the task (integer or string values mean
 * classification, anything else regression) unless `task` forces it.
 */
import { dataError, readMaybeGzip } from './common.js';
import type { Dataset } from './types.js';

/** Options for {@link loadCsv}. */
export interface CsvOptions {
  /** Target column: a header name or a 0-based index (negative counts from the end). Default: last. */
  target?: string;
  /** Force the task instead of inferring it from the target values. */
  task?: 'classification' | 'regression';
  /** Force header handling; by default a first row with non-numeric cells over numeric data is a header. */
  header?: boolean;
  /** Field separator. Default ','. */
  delimiter?: string;
}

interface Row {
  line: number;
  cells: string[];
}

/**
 * Splits one line into fields, honouring double quotes ("" is an escaped quote). Quoted
 * fields spanning lines are not supported: numeric data never needs them.
 */
export function splitCsvLine(line: string, delimiter = ','): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += ch;
    } else if (ch === '"' && cur.trim() === '') {
      quoted = true;
      cur = '';
    } else if (ch === delimiter) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/** Strict numeric parse: rejects '', 'abc', '1.2.3' and partial numbers like '12px'. */
function toNumber(s: string): number | undefined {
  if (s === '') return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

function isNumeric(s: string): boolean {
  return toNumber(s) !== undefined;
}

function detectHeader(rows: Row[]): boolean {
  const first = rows[0].cells;
  if (first.every((c) => !isNumeric(c))) return true;
  const second = rows[1]?.cells;
  if (!second) return false;
  return first.some((c, j) => !isNumeric(c) && second[j] !== undefined && isNumeric(second[j]));
}

function resolveTarget(file: string, spec: string | undefined, names: string[]): number {
  const n = names.length;
  if (spec === undefined || spec === '') return n - 1;
  const byName = names.indexOf(spec);
  if (byName >= 0) return byName;
  if (/^-?\d+$/.test(spec)) {
    const k = Number(spec);
    const idx = k < 0 ? n + k : k;
    if (idx >= 0 && idx < n) return idx;
    throw dataError(file, 'line 1', `target column index ${spec} is out of range for ${n} columns`);
  }
  throw dataError(file, 'line 1', `no column named '${spec}'; columns are: ${names.join(', ')}`);
}

/** Orders class labels: numerically when all are numbers, else as strings. */
function sortLabels(values: string[]): string[] {
  const numeric = values.every(isNumeric);
  return [...values].sort((a, b) => (numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
}

/** Parses CSV text into a dataset; `file` is used for naming and error messages. */
export function parseCsv(text: string, file: string, opts: CsvOptions = {}): Dataset {
  const delimiter = opts.delimiter ?? ',';
  const rows: Row[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    rows.push({ line: i + 1, cells: splitCsvLine(lines[i], delimiter) });
  }
  if (rows.length === 0) throw dataError(file, 'line 1', 'file has no rows');
  const hasHeader = opts.header ?? detectHeader(rows);
  const width = rows[0].cells.length;
  if (width < 2) throw dataError(file, `line ${rows[0].line}`, 'need at least two columns (features and a target)');
  const names = hasHeader ? rows[0].cells : rows[0].cells.map((_, j) => `column ${j + 1}`);
  const data = hasHeader ? rows.slice(1) : rows;
  if (data.length === 0) throw dataError(file, `line ${rows[0].line}`, 'file has a header but no data rows');
  const t = resolveTarget(file, opts.target, names);
  const nf = width - 1;
  const count = data.length;
  const x = new Float32Array(count * nf);
  const rawTargets: string[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const { line, cells } = data[i];
    if (cells.length !== width) {
      throw dataError(file, `line ${line}`, `ragged row: expected ${width} columns, found ${cells.length}`);
    }
    let f = 0;
    for (let j = 0; j < width; j++) {
      if (j === t) continue;
      const v = toNumber(cells[j]);
      if (v === undefined) {
        const what = cells[j] === '' ? 'empty cell' : `non-numeric value '${cells[j]}'`;
        throw dataError(file, `line ${line}, column ${j + 1}`, `${what} in feature column '${names[j]}'; features must be numbers`);
      }
      x[i * nf + f++] = v;
    }
    rawTargets[i] = cells[t];
  }
  const allNumeric = rawTargets.every(isNumeric);
  if (!allNumeric && opts.task !== 'classification') refuseStrayLabel(file, rawTargets, data, t, names[t]);
  const allInts = allNumeric && rawTargets.every((s) => Number.isInteger(Number(s)));
  const task = opts.task ?? (allInts || !allNumeric ? 'classification' : 'regression');
  const y = new Float32Array(count);
  const name = file;
  if (task === 'regression') {
    for (let i = 0; i < count; i++) {
      const v = toNumber(rawTargets[i]);
      if (v === undefined) {
        throw dataError(file, `line ${data[i].line}, column ${t + 1}`, `non-numeric target '${rawTargets[i]}' for a regression task`);
      }
      y[i] = v;
    }
    return { name, task, count, inputShape: [nf], x, y, targetShape: [1] };
  }
  // Numeric labels compare by value so '1' and '1.0' are one class.
  const key = (s: string) => (allNumeric ? String(Number(s)) : s);
  const classNames = sortLabels([...new Set(rawTargets.map(key))]);
  const ids = new Map(classNames.map((c, k) => [c, k]));
  for (let i = 0; i < count; i++) {
    const target = rawTargets[i];
    if (target === '') throw dataError(file, `line ${data[i].line}, column ${t + 1}`, 'empty target cell');
    y[i] = ids.get(key(target))!;
  }
  return { name, task, count, inputShape: [nf], x, y, targetShape: [], numClasses: classNames.length, classNames };
}

/**
 * A target column of numbers with a few other cells is almost surely a typo or a missing-value
 * marker ('n/a', '?'), not one more class: it would silently become an extra class (or the
 * whole column would turn into class names). Throws naming the first such cell when most of
 * the column's non-empty cells are numbers; an explicit classification task accepts them.
 */
function refuseStrayLabel(file: string, targets: string[], data: Row[], column: number, name: string): void {
  const filled = targets.filter((v) => v.trim() !== '');
  const numeric = filled.filter(isNumeric).length;
  if (numeric * 2 <= filled.length) return;
  const i = targets.findIndex((v) => v.trim() !== '' && !isNumeric(v));
  if (i < 0) return;
  throw dataError(
    file,
    `line ${data[i].line}, column ${column + 1}`,
    `non-numeric target '${targets[i]}' in target column '${name}', whose other values are numbers (${numeric} of ${filled.length}); fix the cell, or force the classification task to read every value as a class name`,
  );
}

/** Loads `csv:PATH` (plain or gzipped). */
export async function loadCsv(file: string, opts: CsvOptions = {}): Promise<Dataset> {
  const bytes = await readMaybeGzip(file);
  return parseCsv(new TextDecoder().decode(bytes), file, opts);
}
