import type { Ticket } from './ticket';

/** A ticket as API callers see it: without the task token (a credential) or storage bookkeeping. */
export function publicTicket(ticket: Ticket) {
  const { awaiting, auditHead: _head, auditSeq: _seq, ...rest } = ticket;
  return {
    ...rest,
    awaiting: awaiting ? { step: awaiting.step, since: awaiting.since } : null,
  };
}
