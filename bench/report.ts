import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

export const RESULTS_DIR = 'bench/results';

/** The machine a figure was measured on, and how busy it was (load averages over 1, 5, 15 min). */
export function machine() {
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Number((totalmem() / 1024 ** 3).toFixed(1)),
    platform: `${process.platform} ${process.arch}`,
    node: process.version,
    loadAverage: loadavg().map((load) => Number(load.toFixed(2))),
  };
}

/** Writes `bench/results/<part>.json`: the figures, the command, when, and the machine before and after. */
export function writeResult(
  part: string,
  startedAt: Date,
  machineBefore: ReturnType<typeof machine>,
  figures: unknown,
  command = `npm run bench -- ${part}`,
): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${part}.json`);
  const result = {
    part,
    command,
    environment: Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('BENCH_') || name.startsWith('FAULTS_'))),
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { ...machineBefore, loadAverageAfter: machine().loadAverage },
    figures,
  };
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/** Prints rows as an aligned text table (numbers right-aligned). */
export function printTable(title: string, header: readonly string[], rows: readonly (readonly (string | number)[])[]): void {
  const cells = [header, ...rows].map((row) => row.map((cell) => String(cell)));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column]?.length ?? 0)));
  const numeric = header.map((_, column) => rows.every((row) => typeof row[column] === 'number' || /^[-$\d.,% ]+(ms|MiB|s|\/s)?$/.test(String(row[column]))));
  const line = (row: readonly string[]) =>
    row.map((cell, column) => (numeric[column] && column > 0 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ');
  console.log(`\n${title}`);
  console.log(line(cells[0]!));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of cells.slice(1)) console.log(line(row));
}
