import { parseArgs } from 'node:util';

export interface CliOptions {
  readonly port: number;
  readonly clock: string;
  readonly dataDir?: string;
  readonly configFile?: string;
}

export const USAGE = `Usage: npm start -- [--port P] [--clock real|scaled:N|manual] [--in-memory | --data DIR] [--config FILE]

  --port P       HTTP API port on 127.0.0.1 (default 3000; 0 picks a free port)
  --clock MODE   real (default), scaled:N (N times faster) or manual (moves only via POST /_local/clock/advance)
  --data DIR     keep DynamoDB data in DIR (default .aftercare/data)
  --in-memory    keep nothing after the stack stops (tests)
  --config FILE  JSON file adding marketplaces: {"marketplaces": {"acme": {"webhookSecrets": ["..."]}}}`;

/** Parses `npm start` arguments; throws with a message naming the wrong one. */
export function parseCliOptions(argv: readonly string[]): CliOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string', default: '3000' },
      clock: { type: 'string', default: 'real' },
      data: { type: 'string' },
      'in-memory': { type: 'boolean', default: false },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got "${values.port}"`);
  if (values['in-memory'] && values.data) throw new Error('use either --in-memory or --data DIR, not both');
  return {
    port,
    clock: values.clock,
    dataDir: values['in-memory'] ? undefined : (values.data ?? '.aftercare/data'),
    configFile: values.config,
  };
}
