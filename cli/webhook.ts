import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { SIGNATURE_SCHEMES, type MarketplaceConfig } from '@shared/config/marketplaces';
import { marketplaceSignatureHeaders, verifyMarketplaceRequest } from '@shared/webhooks/request-signature';
import type { CliOutput } from './main';

export const WEBHOOK_COMMANDS = `  aftercare webhook sign   --secret S [--scheme SCHEME] [--timestamp T] [--id ID]
                           (--body JSON | --body-file FILE | --get PATH)
  aftercare webhook send   --marketplace M --secret S [--scheme SCHEME] [--timestamp T]
                           (--body JSON | --body-file FILE) [--url URL]
  aftercare webhook status --marketplace M --secret S [--scheme SCHEME] --event ID [--url URL]
  aftercare webhook verify --secret S [--scheme SCHEME] --header 'NAME: VALUE' ...
                           (--body JSON | --body-file FILE) [--now T]`;

export const WEBHOOK_HELP = `webhook is for marketplace integrators. sign prints the signature headers of a body (or of
a status request for PATH, signed over GET.PATH); send signs a body and POSTs it to
/webhooks/M; status asks what became of event ID; verify checks a callback received from
Aftercare (its raw body and headers) and exits 0 only if it is signed and within the window.

  --secret S       the marketplace's webhook secret, or its callbackSecret for verify
                   (env AFTERCARE_WEBHOOK_SECRET)
  --scheme SCHEME  ${SIGNATURE_SCHEMES.join(' or ')} (default aftercare-v1), as the
                   marketplace's signatureScheme
  --timestamp T    unix seconds to sign with (default: the local stack's clock for send and
                   status when it has one, else this machine's)
  --id ID          the webhook-id of standard-webhooks (default: msg_ and the body's id)
  --body-file -    reads the body from standard input; the bytes are signed as they are
  --now T          unix seconds to check the window against (default: this machine's)

webhook exits 0 on success (a 2xx answer, a verified callback), 1 on another answer or a
failed verification, 2 on a usage or connection error.`;

const WEBHOOK_USAGE = `Usage:\n${WEBHOOK_COMMANDS}\n\n${WEBHOOK_HELP}`;

const options = {
  secret: { type: 'string' },
  scheme: { type: 'string' },
  timestamp: { type: 'string' },
  id: { type: 'string' },
  body: { type: 'string' },
  'body-file': { type: 'string' },
  get: { type: 'string' },
  marketplace: { type: 'string' },
  event: { type: 'string' },
  header: { type: 'string', multiple: true },
  now: { type: 'string' },
  url: { type: 'string' },
} as const;

const unixSeconds = z.string().regex(/^\d{1,12}$/, 'unix seconds').transform(Number);
const common = z.object({
  secret: z.string('the secret is required (--secret or AFTERCARE_WEBHOOK_SECRET)').min(1, 'the secret is required (--secret or AFTERCARE_WEBHOOK_SECRET)'),
  scheme: z.enum(SIGNATURE_SCHEMES, `one of ${SIGNATURE_SCHEMES.join(', ')}`).default('aftercare-v1'),
  timestamp: unixSeconds.optional(),
});

/** A usage problem: the message and the usage go to stderr, exit status 2. */
class UsageError extends Error {}

/** `aftercare webhook …` with the arguments after `webhook`; resolves to the exit status. */
export async function runWebhookCommand(argv: readonly string[], output: CliOutput, env: NodeJS.ProcessEnv): Promise<number> {
  try {
    const { values, positionals } = parseOptions(argv);
    const given = { ...values, secret: values.secret ?? env.AFTERCARE_WEBHOOK_SECRET };
    const url = (values.url ?? env.AFTERCARE_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
    switch (positionals.join(' ')) {
      case 'sign':
        return sign(given, output);
      case 'send':
        return await send(given, url, output);
      case 'status':
        return await status(given, url, output);
      case 'verify':
        return verify(given, output);
      default:
        throw new UsageError('webhook takes sign, send, status or verify');
    }
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`${error.message}\n\n${WEBHOOK_USAGE}`);
      return 2;
    }
    if (error instanceof ConnectionError) {
      output.err(error.message);
      return 2;
    }
    throw error;
  }
}

function parseOptions(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, options });
  } catch (error) {
    throw new UsageError((error as Error).message); // an unknown option, or one without its value
  }
}

type Given = Partial<Record<keyof typeof options, string | string[]>> & { secret?: string };

function parse<Schema extends z.ZodType>(schema: Schema, given: Given): z.output<Schema> {
  const parsed = schema.safeParse(given);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('; '));
  return parsed.data;
}

/** The body exactly as given: `--body`, or the bytes of `--body-file` (`-`: standard input). */
function bodyOf(given: Given): string {
  if (typeof given.body === 'string') return given.body;
  if (typeof given['body-file'] === 'string') return readFileSync(given['body-file'] === '-' ? 0 : given['body-file'], 'utf8');
  throw new UsageError('give the body: --body JSON or --body-file FILE');
}

/** The standard-webhooks message id: `--id`, else `msg_` and the event's id, else a fresh one. */
function messageId(given: Given, body: string): string {
  if (typeof given.id === 'string') return given.id;
  try {
    const { id } = JSON.parse(body) as { id?: unknown };
    if (typeof id === 'string' && id) return `msg_${id}`;
  } catch {
    // not JSON: the server will say so; the id only needs to be unique
  }
  return `msg_${randomUUID()}`;
}

const schemeOf = (scheme: MarketplaceConfig['signatureScheme']) => ({ signatureScheme: scheme });

function sign(given: Given, output: CliOutput): number {
  const { secret, scheme, timestamp } = parse(common, given);
  const content = typeof given.get === 'string' ? `GET.${given.get}` : bodyOf(given);
  const headers = marketplaceSignatureHeaders(schemeOf(scheme), secret, messageId(given, content), timestamp ?? Math.floor(Date.now() / 1000), content);
  for (const [name, value] of Object.entries(headers)) output.out(`${name}: ${value}`);
  return 0;
}

/** Something could not be reached: exit status 2, like a usage error but without the usage. */
class ConnectionError extends Error {}

async function request(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    throw new ConnectionError(`cannot reach ${url}: ${(error as Error).message}`);
  }
}

/**
 * The time to sign with: `--timestamp`, else the local stack's clock when it has one (its
 * manual clock may be far from this machine's), else this machine's.
 */
async function signingTime(url: string, timestamp: number | undefined): Promise<number> {
  if (timestamp !== undefined) return timestamp;
  const clock = await fetch(`${url}/_local/clock`).catch(() => undefined);
  const now = clock?.ok ? Date.parse(((await clock.json()) as { now?: string }).now ?? '') : NaN;
  return Math.floor((Number.isNaN(now) ? Date.now() : now) / 1000);
}

const withMarketplace = common.extend({ marketplace: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a marketplace id') });

/** Prints the answer's status and body; a 2xx exits 0, any other answer 1. */
async function printAnswer(response: Response, output: CliOutput): Promise<number> {
  output.out(`HTTP ${response.status}`);
  const text = await response.text();
  if (text) output.out(text);
  return response.ok ? 0 : 1;
}

async function send(given: Given, url: string, output: CliOutput): Promise<number> {
  const { secret, scheme, timestamp, marketplace } = parse(withMarketplace, given);
  const body = bodyOf(given);
  const at = await signingTime(url, timestamp);
  const headers = marketplaceSignatureHeaders(schemeOf(scheme), secret, messageId(given, body), at, body);
  const response = await request(`${url}/webhooks/${marketplace}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return printAnswer(response, output);
}

async function status(given: Given, url: string, output: CliOutput): Promise<number> {
  const { secret, scheme, timestamp, marketplace, event } = parse(withMarketplace.extend({ event: z.string().min(1, 'the event id is required') }), given);
  const path = `/webhooks/${marketplace}/events/${encodeURIComponent(event)}`;
  const at = await signingTime(url, timestamp);
  const headers = marketplaceSignatureHeaders(schemeOf(scheme), secret, `status_${randomUUID()}`, at, `GET.${path}`);
  return printAnswer(await request(`${url}${path}`, { headers }), output);
}

function verify(given: Given, output: CliOutput): number {
  const { secret, scheme } = parse(common, given);
  const now = given.now === undefined ? Math.floor(Date.now() / 1000) : parse(z.object({ now: unixSeconds }), given).now;
  const headers: Record<string, string> = {};
  for (const line of (given.header as string[] | undefined) ?? []) {
    const colon = line.indexOf(':');
    if (colon < 1) throw new UsageError(`--header "${line}": give it as 'NAME: VALUE'`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const check = verifyMarketplaceRequest({ webhookSecrets: [secret], signatureScheme: scheme }, headers, bodyOf(given), now);
  if (check.ok) {
    output.out('verified');
    return 0;
  }
  output.out(`not verified: ${check.reason}`);
  return 1;
}
