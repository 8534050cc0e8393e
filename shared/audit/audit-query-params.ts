import { z } from 'zod';
import { marketplaceIdSchema } from '@shared/http/identifiers';
import { parseWith } from '@shared/http/parse';
import type { ActorType } from './audit-event';
import type { AuditQuery } from './audit-trail';

const ACTOR_TYPES = ['system', 'agent', 'merchant', 'manager', 'auditor', 'admin', 'marketplace'] as const satisfies readonly ActorType[];

/** An ISO-8601 time with its offset, normalized to UTC milliseconds: the form the index sorts on. */
const instant = z.iso.datetime({ offset: true }).transform((text) => new Date(text).toISOString());

const rangeParams = {
  marketplace: marketplaceIdSchema,
  from: instant,
  to: instant,
  /** `<type>:<id>`, e.g. `agent:alice`; bounded, as it becomes an index key (at most 2 KB in DynamoDB). */
  actor: z
    .string()
    .max(256)
    .regex(new RegExp(`^(${ACTOR_TYPES.join('|')}):.+$`), `<type>:<id>, with type one of ${ACTOR_TYPES.join(', ')}`)
    .transform((text) => {
      const at = text.indexOf(':');
      return { type: text.slice(0, at) as ActorType, id: text.slice(at + 1) };
    })
    .optional(),
  action: z.string().min(1).max(100).optional(),
};
const fromBeforeTo = (params: { from: string; to: string }) => params.from < params.to;
const rangeMessage = { message: 'from must be before to', path: ['to'] };

/** `GET /audit/events` query parameters; unknown ones are refused, so a typo is not a silent no-filter. */
export const auditEventsParamsSchema = z
  .strictObject({
    ...rangeParams,
    cursor: z.string().min(1).max(2048).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .refine(fromBeforeTo, rangeMessage);

export const EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `GET /audit/export` query parameters. */
export const auditExportParamsSchema = z
  .strictObject({ ...rangeParams, format: z.enum(EXPORT_FORMATS).default('ndjson') })
  .refine(fromBeforeTo, rangeMessage);

/** Validated query parameters (400 naming each wrong one). */
export function parseQueryParams<Schema extends z.ZodType>(schema: Schema, params: Record<string, string | undefined> | undefined) {
  return parseWith(schema, params ?? {}, 'query parameters');
}

/** The audit query the parameters describe. */
export function auditQueryOf(params: { marketplace: string; from: string; to: string; actor?: AuditQuery['actor']; action?: string }): AuditQuery {
  return {
    marketplace: params.marketplace,
    from: params.from,
    to: params.to,
    ...(params.actor ? { actor: params.actor } : {}),
    ...(params.action ? { action: params.action } : {}),
  };
}
