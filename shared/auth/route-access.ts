import { ForbiddenError, ValidationError } from '@shared/errors';
import { canSeeMarketplace, type Caller, type Role } from './caller';

/**
 * Who may call which JWT route: the one table every JWT route is enforced from (by the
 * {@link authorizeRoute} middleware that every HTTP handler runs). A JWT route missing here
 * is refused to everyone, and test/unit/shared/route-access.test.ts fails until it is added.
 *
 * The marketplace grant (the `marketplaces` claim, `*` for all) is checked where the
 * marketplace is known: against the ticket once it is loaded ({@link ticketForCaller}), or
 * against the `marketplace` query parameter ({@link requireMarketplace}).
 */
export const ROUTE_ROLES = {
  'GET /tickets': ['agent', 'merchant', 'manager', 'auditor', 'admin'],
  'GET /tickets/summary': ['manager', 'admin'],
  'GET /tickets/{id}': ['agent', 'merchant', 'manager', 'auditor', 'admin'],
  // Which actions each role may take is narrowed by ticket kind below (ACTION_ROLES).
  'POST /tickets/{id}/actions': ['agent', 'merchant', 'manager', 'admin'],
  'GET /tickets/{id}/messages': ['agent', 'merchant', 'manager', 'auditor', 'admin'],
  'POST /tickets/{id}/messages/{messageId}/erase': ['admin'],
  'GET /audit/tickets/{id}': ['auditor', 'admin'],
  'GET /audit/events': ['auditor', 'admin'],
  'GET /audit/export': ['auditor', 'admin'],
  'GET /audit/marketplaces/{marketplace}/chain': ['auditor', 'admin'],
  'GET /notifications': ['manager', 'admin'],
  'GET /reports/kpis': ['manager', 'auditor', 'admin'],
  'POST /notifications/{id}/ack': ['manager', 'admin'],
  'GET /quality/reviews': ['manager', 'admin'],
  'POST /quality/reviews/{id}': ['manager', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type JwtRouteKey = keyof typeof ROUTE_ROLES;

/** Who may act on a ticket, by its kind: agents handle complaints, merchants decide returns. */
export const ACTION_ROLES: Readonly<Record<string, readonly Role[]>> = {
  complaint: ['agent', 'manager', 'admin'],
  return: ['merchant', 'manager', 'admin'],
};

/** Who reads internal notes in a conversation; others see only its public messages. */
export const INTERNAL_NOTE_ROLES: readonly Role[] = ['agent', 'manager', 'admin'];

/** Decisions only a manager (or admin) may take, such as the platform's word on a return intervention. */
export const MANAGER_ROLES: readonly Role[] = ['manager', 'admin'];

/** The roles allowed on `routeKey` (`"GET /tickets/{id}"`); none for a route the table does not name. */
export function rolesFor(routeKey: string): readonly Role[] {
  return (ROUTE_ROLES as Record<string, readonly Role[] | undefined>)[routeKey] ?? [];
}

/** 403 unless the caller's role may call `routeKey`. */
export function requireRouteRole(caller: Caller, routeKey: string): void {
  const allowed = rolesFor(routeKey);
  if (!allowed.includes(caller.role)) {
    throw new ForbiddenError(`role ${caller.role} may not call ${routeKey}`);
  }
}

/** 403 unless the caller's role may act on tickets of `kind`. */
export function requireActionRole(caller: Caller, kind: string): void {
  const allowed = ACTION_ROLES[kind] ?? [];
  if (!allowed.includes(caller.role)) {
    throw new ForbiddenError(`role ${caller.role} may not act on ${kind} tickets`);
  }
}

/** 403 unless the caller's grant covers `marketplace` (a query parameter the caller chose). */
export function requireMarketplace(caller: Caller, marketplace: string): void {
  if (!canSeeMarketplace(caller, marketplace)) {
    throw new ForbiddenError(`marketplace ${marketplace} is outside your grant`);
  }
}

/**
 * The marketplace a listing reads: the one asked for, which the grant must cover, or the
 * grant's only marketplace; a 400 when neither names exactly one.
 */
export function marketplaceForQuery(caller: Caller, requested: string | undefined): string {
  if (requested !== undefined) {
    requireMarketplace(caller, requested);
    return requested;
  }
  const [only, ...more] = caller.marketplaces;
  if (only === undefined || only === '*' || more.length > 0) {
    throw new ValidationError('query parameter marketplace is required: your grant covers more than one marketplace');
  }
  return only;
}

/**
 * The one answer for a ticket the caller may not see. It is the same whether the ticket
 * belongs to another marketplace or does not exist at all, so a caller cannot probe ids
 * to learn what other marketplaces hold.
 */
export class TicketOutsideGrantError extends ForbiddenError {
  constructor() {
    super('no ticket with this id is within your marketplace grant');
  }
}

/**
 * Loads a ticket for a caller: the ticket when the caller's grant covers its marketplace;
 * otherwise {@link TicketOutsideGrantError}, also for a ticket that does not exist unless
 * the caller sees every marketplace (then a plain 404 reveals nothing).
 */
export async function ticketForCaller<T extends { readonly marketplace: string }>(
  caller: Caller,
  find: () => Promise<T | undefined>,
  notFound: () => Error,
): Promise<T> {
  const ticket = await find();
  if (ticket && canSeeMarketplace(caller, ticket.marketplace)) return ticket;
  if (!ticket && caller.marketplaces.includes('*')) throw notFound();
  throw new TicketOutsideGrantError();
}
