import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf } from '@shared/auth/caller';
import { marketplaceForQuery } from '@shared/auth/route-access';
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
    const marketplace = marketplaceForQuery(caller, query.marketplace);
    const page = await deps.store.recent(marketplace, query.limit, query.cursor);
    return jsonResponse(200, { marketplace, notifications: page.notifications, ...(page.cursor ? { cursor: page.cursor } : {}) });
  };
}
