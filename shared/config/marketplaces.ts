import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { secretsManager } from '@shared/aws/clients';
import { loadCalendarFiles } from '@shared/calendar/calendar-files';
import { calendarConfigSchema } from '@shared/calendar/calendar-schema';
import { clock } from '@shared/clock';
import { onCallConfigSchema } from '@shared/notifications/channels';
import { returnPolicyConfigSchema } from '@shared/returns/policy';
import { slaConfigSchema } from '@shared/sla/policy';
import { ConfigurationError } from '@shared/errors';
import { optionalEnv } from './env';

/**
 * The marketplace registry: who may send webhooks and where outcomes go. In AWS it is a
 * Secrets Manager secret (its ARN in `MARKETPLACES_SECRET_ARN`); the local runtime passes
 * the same JSON in `MARKETPLACES_CONFIG`.
 */
export const marketplaceSchema = z.object({
  webhookSecrets: z.array(z.string().min(16, 'webhook secrets need at least 16 characters')).min(1),
  callbackUrl: z.url().optional(),
  callbackSecret: z.string().min(16).optional(),
  /** Deadlines for this marketplace's tickets, overriding the handbook defaults. */
  sla: slaConfigSchema.optional(),
  /** Working hours, holidays and extra working days; business-time deadlines count on it (see shared/calendar). */
  calendar: calendarConfigSchema.optional(),
  /** This marketplace's own on-call channels; without any, the global `onCall` ones are used. */
  onCall: onCallConfigSchema.optional(),
  /** Return eligibility windows, step limits and extra non-returnable categories, overriding the defaults. */
  returns: returnPolicyConfigSchema.optional(),
});

export const registrySchema = z.object({
  marketplaces: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'marketplace ids are lowercase letters, digits and dashes'), marketplaceSchema),
  /**
   * Where on-call notifications go for marketplaces without channels of their own: signed
   * JSON webhooks, Slack-compatible and PagerDuty-compatible endpoints, each for a range of
   * escalation tiers (see shared/notifications/channels.ts).
   */
  onCall: onCallConfigSchema.default({}),
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
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigurationError(`${source} is invalid: ${detail}`);
  }
  return parsed.data;
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
