import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { secretsManager } from '@shared/aws/clients';
import { loadCalendarFiles } from '@shared/calendar/calendar-files';
import { calendarConfigSchema } from '@shared/calendar/calendar-schema';
import { clock } from '@shared/clock';
import { onCallConfigSchema } from '@shared/notifications/channels';
import { qualityConfigSchema } from '@shared/quality/quality-config';
import { returnPolicyConfigSchema } from '@shared/returns/policy';
import { slaConfigSchema } from '@shared/sla/policy';
import { ConfigurationError } from '@shared/errors';
import { STANDARD_WEBHOOK_SECRET } from '@shared/webhooks/standard-webhooks';
import { optionalEnv } from './env';

/**
 * The marketplace registry: who may send webhooks and where outcomes go. In AWS it is a
 * Secrets Manager secret (its ARN in `MARKETPLACES_SECRET_ARN`); the local runtime passes
 * the same JSON in `MARKETPLACES_CONFIG`.
 */
/** How a marketplace signs its webhooks and how its callbacks are signed (docs/webhooks.md). */
export const SIGNATURE_SCHEMES = ['aftercare-v1', 'standard-webhooks'] as const;

export const marketplaceSchema = z
  .strictObject({
    /** `aftercare-v1` when absent. */
    signatureScheme: z.enum(SIGNATURE_SCHEMES, `signatureScheme is one of ${SIGNATURE_SCHEMES.join(', ')}`).optional(),
    webhookSecrets: z
      .array(z.string().min(16, 'webhook secrets need at least 16 characters'))
      .min(1, 'a marketplace needs at least one webhook secret'),
    callbackUrl: z.url('callbackUrl must be an absolute URL').optional(),
    callbackSecret: z.string().min(16, 'callback secrets need at least 16 characters').optional(),
    /** Deadlines for this marketplace's tickets, overriding the handbook defaults. */
    sla: slaConfigSchema.optional(),
    /** Working hours, holidays and extra working days; business-time deadlines count on it (see shared/calendar). */
    calendar: calendarConfigSchema.optional(),
    /** This marketplace's own on-call channels; without any, the global `onCall` ones are used. */
    onCall: onCallConfigSchema.optional(),
    /** Return eligibility windows, step limits and extra non-returnable categories, overriding the defaults. */
    returns: returnPolicyConfigSchema.optional(),
    /** The subjects (JWT `sub`) who work this marketplace's tickets; when given, only they may be assigned. */
    staff: z.array(z.string().min(1).max(128)).optional(),
    /** Quality spot-checks: how often they are drawn and what share of each agent's closed complaints. */
    quality: qualityConfigSchema.optional(),
  })
  .superRefine((marketplace, context) => {
    if (marketplace.signatureScheme !== 'standard-webhooks') return;
    const rule = 'with signatureScheme standard-webhooks, secrets are "whsec_" followed by the base64 of a key of 24 bytes or more';
    marketplace.webhookSecrets.forEach((secret, index) => {
      if (!STANDARD_WEBHOOK_SECRET.test(secret)) context.addIssue({ code: 'custom', path: ['webhookSecrets', index], message: rule });
    });
    if (marketplace.callbackSecret !== undefined && !STANDARD_WEBHOOK_SECRET.test(marketplace.callbackSecret)) {
      context.addIssue({ code: 'custom', path: ['callbackSecret'], message: rule });
    }
  });

/** Marketplace ids appear in URLs, ticket ids and key names, so they are kept plain. */
export const MARKETPLACE_ID_RULE = 'marketplace ids are lower-case letters, digits and dashes';

export const registrySchema = z.strictObject({
  marketplaces: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, MARKETPLACE_ID_RULE), marketplaceSchema),
  /**
   * Where on-call notifications go for marketplaces without channels of their own: signed
   * JSON webhooks, Slack-compatible and PagerDuty-compatible endpoints, each for a range of
   * escalation tiers (see shared/notifications/channels.ts).
   */
  onCall: onCallConfigSchema.default({}),
  /** The ops console's address: on-call notifications link to `<consoleUrl>/tickets/<id>`. */
  consoleUrl: z.url().optional(),
});

export type MarketplaceRegistry = z.infer<typeof registrySchema>;
export type MarketplaceConfig = z.infer<typeof marketplaceSchema>;

/** Parses registry JSON, with a message naming what is wrong. */
export function parseRegistry(json: string, source: string): MarketplaceRegistry {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new ConfigurationError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = registrySchema.safeParse(raw);
  if (!parsed.success) throw new ConfigurationError(`${source} is invalid: ${describeConfigIssues(parsed.error.issues)}`);
  return parsed.data;
}

/**
 * One line per problem, each naming where it is and the rule it breaks. The registry is
 * strict: a misspelt key (`callbackURL`) would otherwise be dropped without a word, and the
 * marketplace would silently never get what it configured.
 */
export function describeConfigIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.flatMap(describeIssue).join('; ');
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  const at = issue.path.map(String).join('.');
  const where = at ? `${at}: ` : '';
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${at ? `${at}.` : ''}${key}: unknown field${suggestion(issue, key)}`);
  }
  if (issue.code === 'invalid_key') {
    // A bad record key: name the key itself and the first rule it breaks.
    const parent = issue.path.slice(0, -1).map(String).join('.');
    return [`${parent}: "${String(issue.path.at(-1))}": ${issue.issues[0]?.message ?? issue.message}`];
  }
  return [`${where}${issue.message}`];
}

/** "(did you mean callbackUrl?)" when an unknown key differs from a known one only in case, dashes or underscores. */
function suggestion(issue: z.core.$ZodIssue, key: string): string {
  const known = knownKeysAt(issue.path);
  const plain = (name: string) => name.toLowerCase().replace(/[-_]/g, '');
  const match = known.find((candidate) => plain(candidate) === plain(key));
  return match ? ` (did you mean ${match}?)` : known.length ? ` (known fields: ${known.join(', ')})` : '';
}

/** The field names the schema allows at a path of the registry, for the suggestion. */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType = registrySchema;
  for (const segment of path) {
    const next = childSchema(schema, segment);
    if (!next) return [];
    schema = next;
  }
  const shape = unwrap(schema);
  return shape instanceof z.ZodObject ? Object.keys(shape.shape) : [];
}

function childSchema(schema: z.ZodType, segment: PropertyKey): z.ZodType | undefined {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) return (inner.shape as Record<string, z.ZodType>)[String(segment)];
  if (inner instanceof z.ZodRecord) return inner.valueType as z.ZodType;
  if (inner instanceof z.ZodArray) return inner.element as z.ZodType;
  return undefined;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodNullable) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

let cached: Promise<MarketplaceRegistry> | undefined;

/** The registry, loaded once per process (cold start) and cached. */
export function loadMarketplaceRegistry(): Promise<MarketplaceRegistry> {
  cached ??= readRegistry().then((registry) => withCalendarFiles(registry)).catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

/**
 * The registry with each calendar's `ics` file read (once, here) and merged into its holidays.
 * Relative paths are read from `baseDir` (the working directory when absent).
 */
export async function withCalendarFiles(registry: MarketplaceRegistry, baseDir?: string): Promise<MarketplaceRegistry> {
  return { ...registry, marketplaces: await loadCalendarFiles(registry.marketplaces, { baseDir, nowMs: clock.nowMs() }) };
}

async function readRegistry(): Promise<MarketplaceRegistry> {
  const inline = optionalEnv('MARKETPLACES_CONFIG');
  if (inline) return parseRegistry(inline, 'MARKETPLACES_CONFIG');
  const secretArn = optionalEnv('MARKETPLACES_SECRET_ARN');
  if (!secretArn) throw new ConfigurationError('MARKETPLACES_SECRET_ARN or MARKETPLACES_CONFIG must be set');
  const secret = await secretsManager().send(new GetSecretValueCommand({ SecretId: secretArn }));
  return parseRegistry(secret.SecretString ?? '', `secret ${secretArn}`);
}
