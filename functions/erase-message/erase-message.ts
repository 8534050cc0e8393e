import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf } from '@shared/auth/caller';
import { ticketForCaller } from '@shared/auth/route-access';
import type { Clock } from '@shared/clock';
import type { MessageStore } from '@shared/conversation/message-store';
import { eraseMessageBody, messageView } from '@shared/conversation/message-view';
import { ConflictError, NotFoundError, TicketNotFoundError } from '@shared/errors';
import { messagePathParams } from '@shared/http/identifiers';
import { parseJson, parseWith, rawBody } from '@shared/http/parse';
import { jsonResponse } from '@shared/http/responses';
import { retryOnConflict } from '@shared/tickets/retry-on-conflict';
import { LinkedWriteConflictError, type TicketRepository } from '@shared/tickets/ticket-repository';

export interface EraseMessageDeps {
  readonly tickets: TicketRepository;
  readonly messages: Pick<MessageStore, 'find' | 'findById' | 'eraseWrite'>;
  readonly clock: Clock;
}

/**
 * `POST /tickets/{id}/messages/{messageId}/erase` (admin): a data subject's request (PIPL)
 * to erase what they wrote, or what was written about them. The text is replaced by
 * `[erased]`; the ticket records the erasure as an audit event (`message.erased`, with the
 * admin and the reason) in the same transaction. The audit event that recorded the message
 * held only its SHA-256 and length, so no chain changes and every chain still verifies.
 */
export function createEraseMessage(deps: EraseMessageDeps) {
  return async function eraseMessage(event: APIGatewayProxyEventV2) {
    const caller = callerOf(event);
    const { ticketId, messageId } = messagePathParams(event);
    const { reason } = parseWith(eraseMessageBody, parseJson(rawBody(event)));
    const actor = { type: caller.role, id: caller.subject };
    try {
      await retryOnConflict(async () => {
        const ticket = await ticketForCaller(caller, () => deps.tickets.find(ticketId), () => new TicketNotFoundError(`ticket ${ticketId} not found`));
        const message = await deps.messages.findById(messageId);
        if (!message || message.ticketId !== ticket.id) throw new NotFoundError(`ticket ${ticket.id} has no message ${messageId}`);
        if (message.erasedAt) throw new ConflictError(`message ${messageId} was erased at ${message.erasedAt}`, { erasedAt: message.erasedAt });
        const now = deps.clock.now().toISOString();
        await deps.tickets.update(ticket, {}, { actor, via: 'api', action: 'message.erased', reason: `message ${message.id}: ${reason}` }, [
          deps.messages.eraseWrite(message, actor, now),
        ]);
      });
    } catch (error) {
      if (error instanceof LinkedWriteConflictError) throw new ConflictError(`message ${messageId} was erased meanwhile`);
      throw error;
    }
    const erased = await deps.messages.findById(messageId);
    return jsonResponse(200, { message: messageView(erased!) });
  };
}
