import { spawn, type ChildProcess } from 'node:child_process';

export interface RunningLocalStack {
  readonly url: string;
  /** Every line the stack printed, for diagnostics and for values it announces. */
  readonly output: () => string;
  /** The value of a `label: value` line the stack printed at start. */
  announced(label: string): string;
  /** Ctrl-C, as a user stops it; resolves once the process has exited. */
  stop(): Promise<void>;
  /** Resolves with the exit code once the process has exited, however it ended. */
  readonly exited: Promise<number | null>;
}

const READY = /aftercare local stack ready on (http:\/\/127\.0\.0\.1:\d+)/;

/**
 * Starts the local stack as a user does, `npm start -- …`, in its own process group, and
 * resolves once it prints its ready line (or rejects with what it printed, after `timeoutMs`).
 */
export function startLocalStackProcess(args: readonly string[], timeoutMs = 120_000): Promise<RunningLocalStack> {
  const child: ChildProcess = spawn('npm', ['start', '--silent', '--', ...args], {
    cwd: process.cwd(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 15_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      // npm passes Ctrl-C on to the stack; signal the stack's process itself as a terminal would.
      process.kill(-child.pid!, 'SIGINT');
    });

  return new Promise((resolve, reject) => {
    const giveUp = setTimeout(() => {
      void stop().then(() => reject(new Error(`local stack not ready within ${timeoutMs} ms:\n${output}`)));
    }, timeoutMs);
    const exitedBeforeReady = (code: number | null) => {
      clearTimeout(giveUp);
      reject(new Error(`local stack exited with ${code} before it was ready:\n${output}`));
    };
    child.once('exit', exitedBeforeReady);
    const watch = setInterval(() => {
      const ready = READY.exec(output);
      if (!ready) return;
      clearInterval(watch);
      clearTimeout(giveUp);
      child.off('exit', exitedBeforeReady);
      resolve({
        url: ready[1]!,
        output: () => output,
        announced(label: string) {
          const line = output.split('\n').find((candidate) => candidate.startsWith(`${label}: `));
          if (!line) throw new Error(`the stack did not print "${label}:"\n${output}`);
          return line.slice(label.length + 2).trim();
        },
        stop,
        exited,
      });
    }, 50);
    child.once('exit', () => clearInterval(watch));
  });
}
