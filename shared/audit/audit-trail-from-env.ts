import { dynamoDocumentClient } from '@shared/aws/clients';
import { clock } from '@shared/clock';
import { requireEnv } from '@shared/config/env';
import { AuditTrail } from './audit-trail';

/** The audit trail on the table named in the function's environment. */
export function auditTrailFromEnv(): AuditTrail {
  return new AuditTrail({ client: dynamoDocumentClient(), auditTable: requireEnv('AUDIT_TABLE_NAME'), clock });
}
