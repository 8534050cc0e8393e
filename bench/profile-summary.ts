import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printTable } from './report';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileSummary {
  readonly sampledMs: number;
  /** Share of the sampled time the process was running code rather than waiting. */
  readonly busyPercent: number;
  /** Self time by area of the stack process as a share of its busy time, busiest first. */
  readonly byArea: { area: string; percent: number }[];
  /** The functions with the most self time. */
  readonly topFunctions: { name: string; where: string; percent: number }[];
}

/** Which part of the stack process a profiled function belongs to. */
function areaOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (functionName === '(program)') return 'V8 and native code';
  const rules: [RegExp, string][] = [
    [/node_modules\/(@aws-sdk|@smithy|@aws-crypto)\//, 'AWS SDK v3 (serialize, sign, parse)'],
    [/node_modules\/aws-local-stepfunctions\//, 'local Step Functions engine'],
    [/node_modules\/local-aws-sqs\//, 'local SQS'],
    [/node_modules\/s3rver\//, 'local S3'],
    [/node_modules\/@aws-lambda-powertools\//, 'Powertools (logger, idempotency)'],
    [/node_modules\/zod\//, 'zod (validation)'],
    [/node_modules\/(tsx|esbuild)\//, 'tsx (TypeScript loading)'],
    [/node_modules\//, 'other libraries'],
    [/\/infra\/local\//, 'local runtime (HTTP server, pollers, Step Functions service)'],
    [/\/(functions|shared)\//, 'Aftercare handlers and domain'],
    [/^node:|^internal\/|^$/, 'Node.js internals (HTTP, streams, crypto, timers)'],
  ];
  return rules.find(([pattern]) => pattern.test(url))?.[1] ?? 'other';
}

/** Self time per area and per function of a `node --cpu-prof` profile. */
export function summarizeProfile(file: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, index) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const sampled = [...selfMicros.values()].reduce((sum, micros) => sum + micros, 0);
  const idle = [...selfMicros].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((sum, [, micros]) => sum + micros, 0);
  const total = sampled - idle;
  const areas = new Map<string, number>();
  const functions = new Map<string, { where: string; micros: number }>();
  for (const [id, micros] of selfMicros) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') continue;
    areas.set(areaOf(node), (areas.get(areaOf(node)) ?? 0) + micros);
    const where = `${node.callFrame.url.replace(/^.*?\/(node_modules|infra|functions|shared)\//, '$1/')}:${node.callFrame.lineNumber + 1}`;
    const key = `${node.callFrame.functionName || '(anonymous)'} ${where}`;
    functions.set(key, { where, micros: (functions.get(key)?.micros ?? 0) + micros });
  }
  const percent = (micros: number) => (micros / total) * 100;
  return {
    sampledMs: sampled / 1000,
    busyPercent: (total / sampled) * 100,
    byArea: [...areas].sort((a, b) => b[1] - a[1]).map(([area, micros]) => ({ area, percent: percent(micros) })),
    topFunctions: [...functions]
      .sort((a, b) => b[1].micros - a[1].micros)
      .slice(0, 15)
      .map(([key, value]) => ({ name: key.split(' ')[0]!, where: value.where, percent: percent(value.micros) })),
  };
}

/** Of several profiles (a node process the stack started writes one too), the summary of the busiest. */
export function busiestProfile(files: readonly string[]): ProfileSummary | undefined {
  const summaries = files.map(summarizeProfile);
  return summaries.sort((a, b) => b.sampledMs * b.busyPercent - a.sampledMs * a.busyPercent)[0];
}

/**
 * With `BENCH_PROFILE` set, a directory for the stack's CPU profiles and the environment that
 * has its node process write them there (NODE_OPTIONS reaches every node process the stack
 * starts; the busiest profile is kept).
 */
export function profileDirectory(): { dir?: string; env: Record<string, string> } {
  if (!process.env.BENCH_PROFILE) return { env: {} };
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-profile-'));
  return { dir, env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}` } };
}

/** The busiest profile written to `dir` (once the stack has stopped), if one was taken. */
export function profileOf(dir: string | undefined): ProfileSummary | undefined {
  return dir ? busiestProfile(readdirSync(dir).filter((name) => name.endsWith('.cpuprofile')).map((name) => join(dir, name))) : undefined;
}

export function printProfile(profile: ProfileSummary): void {
  printTable(
    `where the stack process's CPU went (node --cpu-prof: busy ${profile.busyPercent.toFixed(0)} % of ${(profile.sampledMs / 1000).toFixed(0)} s; self time as a share of busy time)`,
    ['', 'share'],
    profile.byArea.map((area) => [area.area, `${area.percent.toFixed(1)} %`]),
  );
  printTable('busiest functions', ['function', 'where', 'share'], profile.topFunctions.slice(0, 10).map((fn) => [fn.name, fn.where, `${fn.percent.toFixed(1)} %`]));
}
