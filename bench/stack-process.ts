import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StackProcess {
  readonly url: string;
  readonly pid: number;
  /** A value the stack printed at start (`dynamodb endpoint`, `sqs endpoint`, …). */
  announced(label: string): string;
  stop(): Promise<void>;
  /** SIGKILL to every process of the stack at once (a crash: nothing flushed, nothing closed). */
  kill(): Promise<void>;
}

export interface StackProcessOptions {
  /** The `--config` file's JSON. */
  readonly config: unknown;
  /** Extra environment, e.g. `JAVA_TOOL_OPTIONS` to size DynamoDB Local's heap. */
  readonly env?: Record<string, string>;
  /** Node options for the stack's own process, e.g. `--cpu-prof`. */
  readonly nodeArgs?: readonly string[];
  /** Keep the data in this directory (`--data`) instead of in memory. */
  readonly dataDir?: string;
}

/**
 * Starts the local stack as `npm start` does (real clock, in memory) in its own process
 * group, so the load generator does not share its event loop and every process of the stack
 * can be measured and stopped together.
 */
export async function startStackProcess(options: StackProcessOptions): Promise<StackProcess> {
  const configFile = join(mkdtempSync(join(tmpdir(), 'aftercare-bench-')), 'config.json');
  writeFileSync(configFile, JSON.stringify(options.config));
  const storage = options.dataDir ? ['--data', options.dataDir] : ['--in-memory'];
  const stackArgs = ['infra/local/main.ts', '--port', '0', ...storage, '--clock', 'real', '--config', configFile];
  // As `npm start` runs it: one node process, tsx loaded as a module hook (no launcher process in between).
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', ...stackArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, ...options.env },
  });
  let output = '';
  let errors = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // Handler logs (INFO) would drown the figures; keep the tail for a failure's report.
  child.stderr!.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-20_000)));
  let stopping = false;
  let url: string | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      // A part run cannot go on without its stack: say why it ended (`npm start` prints the reason last).
      if (url && !stopping) console.error(`the stack exited on its own (${signal ?? `code ${code}`}); the end of its output:\n${errors.slice(-3_000)}`);
      resolve();
    }),
  );
  // Ended by itself, by a signal (a crash test's SIGKILL) or not at all.
  const running = () => child.exitCode === null && child.signalCode === null;
  const find = (label: string) => output.split('\n').find((line) => line.startsWith(label))?.slice(label.length).replace(/^:/, '').trim();

  const giveUpAt = Date.now() + 180_000;
  while (!(url = find('aftercare local stack ready on'))) {
    if (Date.now() > giveUpAt || !running()) throw new Error(`the stack did not start:\n${output}\n${errors}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid!,
    announced(label) {
      const value = find(label);
      if (value === undefined) throw new Error(`the stack did not announce "${label}"`);
      return value;
    },
    async stop() {
      if (!running()) return;
      stopping = true;
      process.kill(-child.pid!, 'SIGINT');
      const force = setTimeout(() => child.exitCode === null && process.kill(-child.pid!, 'SIGKILL'), 30_000);
      await exited;
      clearTimeout(force);
    },
    async kill() {
      if (!running()) return;
      stopping = true;
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
    },
  };
}
