import { ApiFailure, bodyOf, type ApiClient } from '../api/client';
import type { TicketAnswer, TicketView } from '../api/types';

/** Why a take did not happen: someone else holds the ticket now. */
export class AlreadyTaken extends Error {
  constructor(readonly assignee: string) {
    super(`already assigned to ${assignee}`);
  }
}

const ATTEMPTS = 3;

/**
 * Assigns a pool ticket to the caller (`assignee: "me"`), only while nobody holds it: the
 * assignment names the version read, and a 409 (the ticket moved meanwhile) reads it again.
 * Two agents taking the same ticket at once: one gets it, the other an {@link AlreadyTaken}.
 */
export async function takeTicket(api: ApiClient, ticketId: string): Promise<TicketView> {
  for (let attempt = 1; ; attempt += 1) {
    const { ticket } = bodyOf<TicketAnswer>(await api.GET('/tickets/{id}', { params: { path: { id: ticketId } } }));
    if (ticket.assignee) throw new AlreadyTaken(ticket.assignee);
    try {
      const answer = await api.POST('/tickets/{id}/actions', {
        params: { path: { id: ticketId } },
        body: { type: 'assign', assignee: 'me', expectedVersion: ticket.version },
      });
      return bodyOf<TicketAnswer>(answer).ticket;
    } catch (failure) {
      if (!(failure instanceof ApiFailure && failure.status === 409 && attempt < ATTEMPTS)) throw failure;
    }
  }
}
