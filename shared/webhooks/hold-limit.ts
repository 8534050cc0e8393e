/** An event held this long for the event it depends on is rejected with its reason (docs/webhooks.md). */
export const HOLD_LIMIT_SECONDS = 24 * 60 * 60;
