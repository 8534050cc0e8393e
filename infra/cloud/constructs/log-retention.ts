import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/**
 * How long function, workflow and API access logs are kept. A year covers an incident
 * found late and a yearly review; the logs hold ids and outcomes, never customer data
 * (see shared/logger.ts), and the audit table, not the logs, is the record of changes.
 */
export const LOG_RETENTION = RetentionDays.ONE_YEAR;
