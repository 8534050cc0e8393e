import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf } from '@shared/auth/caller';
import { requireMarketplace } from '@shared/auth/route-access';
import { auditExportParamsSchema, auditQueryOf, parseQueryParams } from '@shared/audit/audit-query-params';
import type { AuditTrail } from '@shared/audit/audit-trail';
import { EXPORT_CONTENT_TYPES, exportLines } from '@shared/audit/export-format';
import { PayloadTooLargeError } from '@shared/errors';

/**
 * The largest export one response carries. A Lambda behind an API Gateway HTTP API answers
 * with at most 6 MB (the synchronous invocation payload, headers and JSON envelope included)
 * and within 30 s; HTTP APIs cannot stream a response. 5 MB leaves room for the envelope.
 */
export const MAX_EXPORT_BYTES = 5 * 1024 * 1024;

/** The range holds more than one response can carry; the caller should split it. */
export class ExportTooLargeError extends PayloadTooLargeError {}

export interface ExportAuditEventsDeps {
  readonly audit: Pick<AuditTrail, 'all' | 'appendMarketplaceEvent'>;
  readonly maxBytes?: number;
}

/**
 * `GET /audit/export?marketplace=&from=&to=[&actor=][&action=][&format=ndjson|csv]`: every
 * record of the range, all pages read on the server, as NDJSON or CSV.
 *
 * The export is itself audited before it is handed out: an `audit.exported` event on the
 * marketplace's own chain records who exported, which range and filters, in which format,
 * how many records and the SHA-256 of the exact body. If that record cannot be written, no
 * export leaves. An export over {@link MAX_EXPORT_BYTES} is refused (413), and not recorded.
 */
export function createExportAuditEvents(deps: ExportAuditEventsDeps) {
  const maxBytes = deps.maxBytes ?? MAX_EXPORT_BYTES;
  return async function exportAuditEvents(event: APIGatewayProxyEventV2) {
    const caller = callerOf(event);
    const params = parseQueryParams(auditExportParamsSchema, event.queryStringParameters);
    requireMarketplace(caller, params.marketplace);
    const query = auditQueryOf(params);

    const records = [];
    let bytes = 0;
    for await (const record of deps.audit.all(query)) {
      records.push(record);
      bytes += JSON.stringify(record).length;
      if (bytes > maxBytes) {
        throw new ExportTooLargeError(`the range holds more than ${maxBytes} bytes of events; export shorter ranges (or page GET /audit/events)`, {
          exportedBefore: record.at,
        });
      }
    }
    const lines = exportLines(params.format, records);
    const body = lines.length ? `${lines.join('\n')}\n` : '';
    if (Buffer.byteLength(body) > maxBytes) {
      throw new ExportTooLargeError(`the export exceeds ${maxBytes} bytes; export shorter ranges (or page GET /audit/events)`);
    }

    const recorded = await deps.audit.appendMarketplaceEvent(params.marketplace, {
      actor: { type: caller.role, id: caller.subject },
      via: 'api',
      action: 'audit.exported',
      details: {
        from: params.from,
        to: params.to,
        format: params.format,
        ...(query.actor ? { actor: `${query.actor.type}:${query.actor.id}` } : {}),
        ...(query.action ? { action: query.action } : {}),
        events: records.length,
        sha256: createHash('sha256').update(body).digest('hex'),
      },
    });
    const name = `audit-${params.marketplace}-${params.from}-${params.to}.${params.format}`.replace(/:/g, '');
    return {
      statusCode: 200,
      headers: {
        'content-type': EXPORT_CONTENT_TYPES[params.format],
        'content-disposition': `attachment; filename="${name}"`,
        'x-aftercare-export-events': String(records.length),
        'x-aftercare-export-record': `${recorded.marketplace}#${recorded.seq}`,
      },
      body,
    };
  };
}
