import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf } from '@shared/auth/caller';
import { requireMarketplace } from '@shared/auth/route-access';
import { ValidationError } from '@shared/errors';
import { parseWith } from '@shared/http/parse';
import { jsonResponse } from '@shared/http/responses';
import { listNotificationsQuery } from '@shared/notifications/list-query';
import type { NotificationStore } from '@shared/notifications/notification-store';

export interface ListNotificationsDeps {
  readonly store: NotificationStore;
}

/**
 * `GET /notifications` (manager, admin): a marketplace's recent on-call notifications, newest
 * first, each with every channel's delivery state (sent, retrying, failed) and a summary.
 */
export function createListNotifications(deps: ListNotificationsDeps) {
  return async function listNotifications(event: APIGatewayProxyEventV2) {
    // The route's roles (manager, admin) were checked by the HTTP middleware (shared/auth/route-access.ts).
    const caller = callerOf(event);
    const query = parseWith(listNotificationsQuery, event.queryStringParameters ?? {}, 'query');
    const marketplace = query.marketplace ?? onlyGrantedMarketplace(caller.marketplaces);
    requireMarketplace(caller, marketplace);
    const page = await deps.store.recent(marketplace, query.limit, query.cursor);
    return jsonResponse(200, { marketplace, notifications: page.notifications, ...(page.cursor ? { cursor: page.cursor } : {}) });
  };
}

function onlyGrantedMarketplace(granted: readonly string[]): string {
  const [only, ...more] = granted;
  if (only === undefined || only === '*' || more.length > 0) {
    throw new ValidationError('query parameter marketplace is required: your grant covers more than one marketplace');
  }
  return only;
}
