import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Structured JSON logs (Powertools). Log ids and outcomes, never customer personal data:
 * tickets hold only pseudonymous customer references, and bodies are not logged.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'aftercare' });
