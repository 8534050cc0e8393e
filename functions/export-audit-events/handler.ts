import { auditTrailFromEnv } from '@shared/audit/audit-trail-from-env';
import { httpHandler } from '@shared/http/http-handler';
import { createExportAuditEvents } from './export-audit-events';

export const handler = httpHandler(createExportAuditEvents({ audit: auditTrailFromEnv() }));
