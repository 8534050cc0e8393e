import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AftercareApiClient, ApiRequestError } from './api-client';
import { verifyMarketplace, verifyTicket, type ChainReport } from './audit-verify';
import { qualityReviews } from './quality-reviews';
import { reportKpis } from './report-kpis';
import { runWebhookCommand, WEBHOOK_COMMANDS, WEBHOOK_HELP } from './webhook';

export const USAGE = `Usage:
  aftercare audit verify --marketplace M --from T1 --to T2 [--url URL] [--token JWT]
  aftercare audit verify --ticket ID [--url URL] [--token JWT]
  aftercare report kpis --marketplace M [--period day|week|month|quarter|year]
                        [--group-by agent|tier|category|priority|channel]
                        [--from DATE] [--to DATE] [--url URL] [--token JWT]
  aftercare quality reviews --marketplace M [--period DATE] [--status pending|done]
                        [--url URL] [--token JWT]
${WEBHOOK_COMMANDS}

Recomputes the hash chains of a ticket, or of every ticket with audit events in a
marketplace's time range [T1, T2) (ISO-8601), and reports each broken chain.

report kpis prints a marketplace's KPIs as a table, one line per period (and group), in
the marketplace's time zone; --period defaults to month, --from and --to (local dates,
--to exclusive) to the current period and the 11 before it.

quality reviews prints a period's quality draw (its seed, per agent how many complaints
closed and how many were drawn) and its reviews; --period is any local date of the period
(default: the latest period drawn).

  --url URL      the API (env AFTERCARE_URL; default http://127.0.0.1:3000, the local stack)
  --token JWT    a bearer token of an auditor or admin (a manager too for report kpis; a
                 manager or admin for quality reviews; env AFTERCARE_TOKEN); without one,
                 a local stack is asked for a dev token

Exit status: 0 every chain holds (or the report was printed), 1 a broken chain was found,
2 usage, connection or API error.

${WEBHOOK_HELP}`;

/** Where the CLI writes: the process's streams, or a test's buffers. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

const instant = z.iso.datetime({ offset: true }).transform((text) => new Date(text).toISOString());
const verifyOptions = z.union([
  z.object({ ticket: z.string().min(1), marketplace: z.undefined().optional(), from: z.undefined().optional(), to: z.undefined().optional() }),
  z.object({ ticket: z.undefined().optional(), marketplace: z.string().min(1), from: instant, to: instant }),
]);

/** Runs the CLI with `argv` (without node and script); resolves to the exit status. */
export async function runCli(argv: readonly string[], output: CliOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // The webhook tools take their own options (see cli/webhook.ts).
  if (argv[0] === 'webhook') return runWebhookCommand(argv.slice(1), output, env);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        marketplace: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        ticket: { type: 'string' },
        period: { type: 'string' },
        'group-by': { type: 'string' },
        status: { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    output.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    output.out(USAGE);
    return 0;
  }
  const command = parsed.positionals.join(' ');
  if (command === 'report kpis') return runReportKpis(parsed.values, output, env);
  if (command === 'quality reviews') return runQualityReviews(parsed.values, output, env);
  if (command !== 'audit verify') {
    output.err(USAGE);
    return 2;
  }
  // parseArgs returns a null-prototype object, which zod does not take for an object.
  const options = verifyOptions.safeParse({ ...parsed.values });
  if (!options.success) {
    output.err(`give either --ticket ID, or --marketplace M --from T1 --to T2 (ISO-8601 times)\n\n${USAGE}`);
    return 2;
  }

  const { ticket, marketplace, from, to } = options.data;
  return withApi(parsed.values, output, env, undefined, async (api) =>
    report(ticket !== undefined ? [await verifyTicket(api, ticket)] : await verifyMarketplace(api, { marketplace: marketplace!, from: from!, to: to! }), output),
  );
}

/**
 * Runs `command` against the API at `--url` (or `AFTERCARE_URL`, else the local stack) with
 * `--token` (or `AFTERCARE_TOKEN`, else a dev token for `role`); an API error is printed and
 * exits 2.
 */
async function withApi(
  values: { readonly url?: unknown; readonly token?: unknown },
  output: CliOutput,
  env: NodeJS.ProcessEnv,
  role: Parameters<typeof AftercareApiClient.connect>[2],
  command: (api: AftercareApiClient) => Promise<number>,
): Promise<number> {
  try {
    const api = await AftercareApiClient.connect(String(values.url ?? env.AFTERCARE_URL ?? 'http://127.0.0.1:3000'), (values.token as string | undefined) ?? env.AFTERCARE_TOKEN, role);
    return await command(api);
  } catch (error) {
    if (error instanceof ApiRequestError) {
      output.err(error.message);
      return 2;
    }
    throw error;
  }
}

/** The options' problems, one `--name: message` each, then the usage; exits 2. */
function optionProblems(issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[], output: CliOutput): number {
  output.err(`${issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('; ')}\n\n${USAGE}`);
  return 2;
}

/** Prints each line the command gives, exit 0. */
async function printLines(lines: Promise<string[]>, output: CliOutput): Promise<number> {
  for (const line of await lines) output.out(line);
  return 0;
}

const reportOptions = z.object({
  marketplace: z.string().min(1),
  period: z.enum(['day', 'week', 'month', 'quarter', 'year']).default('month'),
  'group-by': z.enum(['agent', 'tier', 'category', 'priority', 'channel']).optional(),
  from: z.string().min(1).optional(),
  to: z.string().min(1).optional(),
});

async function runReportKpis(values: Record<string, unknown>, output: CliOutput, env: NodeJS.ProcessEnv): Promise<number> {
  const options = reportOptions.safeParse({ ...values, ticket: undefined, url: undefined, token: undefined, help: undefined });
  if (!options.success) return optionProblems(options.error.issues, output);
  const { marketplace, period, from, to } = options.data;
  return withApi(values, output, env, undefined, (api) => printLines(reportKpis(api, { marketplace, period, groupBy: options.data['group-by'], from, to }), output));
}

function report(reports: readonly ChainReport[], output: CliOutput): number {
  const broken = reports.filter((report) => !report.result.valid);
  for (const { chain, result } of broken) {
    if (!result.valid) output.out(`BROKEN ${chain}: event ${result.brokenAtSeq}: ${result.problem}`);
  }
  const events = reports.reduce((sum, report) => sum + report.result.events, 0);
  output.out(`checked ${reports.length} chains (${events} events): ${broken.length ? `${broken.length} broken` : 'all intact'}`);
  return broken.length ? 1 : 0;
}

const qualityOptions = z.object({
  marketplace: z.string().min(1),
  period: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a local date (YYYY-MM-DD)').optional(),
  status: z.enum(['pending', 'done']).optional(),
});

async function runQualityReviews(values: Record<string, unknown>, output: CliOutput, env: NodeJS.ProcessEnv): Promise<number> {
  const options = qualityOptions.safeParse({ marketplace: values.marketplace, period: values.period, status: values.status });
  if (!options.success) return optionProblems(options.error.issues, output);
  return withApi(values, output, env, 'manager', (api) => printLines(qualityReviews(api, options.data), output));
}
