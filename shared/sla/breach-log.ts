/**
 * The log message record-deadline writes once per recorded breach. The stack counts these
 * lines with a log metric filter (namespace Aftercare, metric DeadlineBreaches) and alarms
 * on a surge; change both together.
 */
export const BREACH_LOG_MESSAGE = 'deadline breached';
