import type { Ticket } from './ticket';

/** A ticket as API callers see it: without the task token (a credential) or storage bookkeeping. */
export function publicTicket(ticket: Ticket) {
  const { awaiting, workflow, auditHead: _head, auditSeq: _seq, ...rest } = ticket;
  return {
    ...rest,
    awaiting: awaiting ? { step: awaiting.step, since: awaiting.since } : null,
    // The execution generation (a repaired workflow counts up), never a task token.
    ...(workflow ? { workflow: { generation: workflow.generation } } : {}),
  };
}
