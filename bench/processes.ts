import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessMemory {
  readonly pid: number;
  readonly name: string;
  readonly rssMiB: number;
}

export interface ProcessCpu {
  readonly pid: number;
  readonly name: string;
  /** User plus system CPU time used so far. */
  readonly cpuSeconds: number;
}

/** The pids of a process and all its descendants (Linux /proc). */
function processTree(rootPid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i += 1) for (const [pid, parent] of parents) if (parent === tree[i]) tree.push(pid);
  return tree;
}

function describeProcess(pid: number): string {
  const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  if (command.some((part) => part.endsWith('DynamoDBLocal.jar'))) return 'DynamoDB Local (java)';
  if (command.some((part) => part.endsWith('main.ts'))) return 'stack (node: API, handlers, SQS, Step Functions, S3)';
  if (command.some((part) => part.includes('esbuild'))) return "tsx's esbuild service";
  return command.join(' ').slice(0, 60);
}

/** RSS of every process of the tree rooted at `rootPid`. */
export function processTreeMemory(rootPid: number): ProcessMemory[] {
  return processTree(rootPid).flatMap((pid) => {
    try {
      const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      return rssKiB > 0 ? [{ pid, name: describeProcess(pid), rssMiB: rssKiB / 1024 }] : [];
    } catch {
      return [];
    }
  });
}

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time used so far by every process of the tree rooted at `rootPid`. */
export function processTreeCpu(rootPid: number): ProcessCpu[] {
  return processTree(rootPid).flatMap((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime are fields 14 and 15 of /proc/<pid>/stat (11 and 12 after the command).
      return [{ pid, name: describeProcess(pid), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND }];
    } catch {
      return [];
    }
  });
}

/** CPU seconds each process (by name) used between two readings. */
export function cpuBetween(before: readonly ProcessCpu[], after: readonly ProcessCpu[]): Record<string, number> {
  const used: Record<string, number> = {};
  for (const reading of after) {
    const earlier = before.find((candidate) => candidate.pid === reading.pid)?.cpuSeconds ?? 0;
    used[reading.name] = (used[reading.name] ?? 0) + reading.cpuSeconds - earlier;
  }
  return used;
}

const LOAD_GENERATOR = 'load generator (this bench process)';

/** CPU used so far by the stack's processes and by this bench process, which shares their cores. */
export function cpuNow(stackPid: number): ProcessCpu[] {
  const own = process.cpuUsage();
  return [...processTreeCpu(stackPid), { pid: process.pid, name: LOAD_GENERATOR, cpuSeconds: (own.user + own.system) / 1e6 }];
}
