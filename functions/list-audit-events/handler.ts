import { auditTrailFromEnv } from '@shared/audit/audit-trail-from-env';
import { httpHandler } from '@shared/http/http-handler';
import { createListAuditEvents } from './list-audit-events';

export const handler = httpHandler(createListAuditEvents({ audit: auditTrailFromEnv() }));
