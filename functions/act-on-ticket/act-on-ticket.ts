import type { SFNClient } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf, requireRole, type Caller } from '@shared/auth/caller';
import { MANAGER_ROLES, requireActionRole, ticketForCaller } from '@shared/auth/route-access';
import type { Clock } from '@shared/clock';
import type { MarketplaceRegistry } from '@shared/config/marketplaces';
import { ConflictError, TicketNotFoundError, ValidationError } from '@shared/errors';
import { ticketIdParam } from '@shared/http/identifiers';
import { parseJson, parseWith, rawBody } from '@shared/http/parse';
import type { Notification } from '@shared/notifications/notification';
import { escalationNotification } from '@shared/notifications/ticket-context';
import { jsonResponse } from '@shared/http/responses';
import { applyReturnAction, MANAGER_ONLY_RETURN_ACTIONS, type ReturnAction, type ReturnActionType } from '@shared/returns/return-actions';
import { ticketActionSchema, type TicketAction } from '@shared/tickets/actions';
import { allowedActions } from '@shared/tickets/allowed-actions';
import { publicTicket } from '@shared/tickets/public-view';
import { retryOnConflict } from '@shared/tickets/retry-on-conflict';
import type { Ticket } from '@shared/tickets/ticket';
import type { TicketRepository } from '@shared/tickets/ticket-repository';
import { applyComplaintAction, MAX_ESCALATION_TIER, type ComplaintActionType } from '@shared/complaints/complaint-flow';
import { sendRecordedCompletion } from '@shared/workflows/complete-step';
import { endsTheWait } from '@shared/workflows/plan';
import { completedNow, completingStep } from '@shared/workflows/workflow-intent';

export interface ActOnTicketDeps {
  readonly tickets: TicketRepository;
  readonly sfn: SFNClient;
  readonly clock: Clock;
  /** Queues an on-call notification (an escalation tells the new tier's channel). */
  readonly notify: (notification: Notification) => Promise<void>;
  /** The marketplace registry: a marketplace's `staff` limits whom its tickets may be assigned to. */
  readonly registry: () => Promise<MarketplaceRegistry>;
}

/**
 * `POST /tickets/{id}/actions`: an agent responds to, handles or resolves a complaint; a
 * merchant approves, rejects, receives, inspects or settles a return; a manager decides
 * interventions and failed inspections. The
 * change is written (with its audit event, and the workflow step it completes recorded on
 * the ticket) first, then the waiting step is completed with its task token; if Step
 * Functions fails that call, the answer is still 200 (the change is applied) and the
 * reconciler completes the step. An action after its deadline still counts and is recorded
 * as late.
 */
export function createActOnTicket(deps: ActOnTicketDeps) {
  return async function actOnTicket(event: APIGatewayProxyEventV2) {
    // Route roles were checked by the HTTP middleware; per ticket kind below (shared/auth/route-access.ts).
    const caller = callerOf(event);
    const action = parseWith(ticketActionSchema, parseJson(rawBody(event)));
    const ticketId = ticketIdParam(event);

    // Without an expectedVersion the caller asked "do this now": a race with a workflow
    // step (e.g. the token being stored) is re-decided on the fresh ticket.
    const attempts = action.expectedVersion === undefined ? 5 : 1;
    const { before, after } = await retryOnConflict(async () => {
      const ticket = await ticketForCaller(caller, () => deps.tickets.find(ticketId), () => new TicketNotFoundError(`ticket ${ticketId} not found`));
      requireActionRole(caller, ticket.kind);
      if (MANAGER_ONLY_RETURN_ACTIONS.includes(action.type as ReturnActionType)) requireRole(caller, MANAGER_ROLES);
      checkAllowed(ticket, action);
      const resolved = action.type === 'assign' ? { ...action, assignee: await assigneeFor(deps, caller, ticket, action.assignee) } : action;
      return { before: ticket, after: await apply(deps, ticket, caller, resolved) };
    }, attempts);

    if (action.type === 'escalate') {
      await deps.notify(escalationNotification(after, after.updatedAt, action.message));
    }
    // The change recorded the step it completed; a failed send is finished by the reconciler.
    if (completedNow(before, after)) await sendRecordedCompletion(deps.sfn, after, deps.clock.nowMs());
    return jsonResponse(200, { ticket: publicTicket(after) });
  };
}

/**
 * The subject a ticket is assigned to: `me` is the caller. When the ticket's marketplace
 * lists its `staff`, only they may be assigned (a subject of another marketplace is refused).
 */
async function assigneeFor(deps: ActOnTicketDeps, caller: Caller, ticket: Ticket, requested: string): Promise<string> {
  const subject = requested === 'me' ? caller.subject : requested;
  const staff = (await deps.registry()).marketplaces[ticket.marketplace]?.staff;
  if (staff && !staff.includes(subject)) {
    throw new ValidationError(`${subject} is not on the staff of marketplace ${ticket.marketplace}`, { assignee: subject });
  }
  return subject;
}

function checkAllowed(ticket: Ticket, action: TicketAction): void {
  const allowed = allowedActions(ticket);
  if (!allowed.includes(action.type)) {
    throw new ConflictError(`action ${action.type} is not allowed at stage ${ticket.stage}`, { stage: ticket.stage, allowedActions: allowed });
  }
  if (action.expectedVersion !== undefined && action.expectedVersion !== ticket.version) {
    throw new ConflictError(`ticket is at version ${ticket.version}, not ${action.expectedVersion}`, { version: ticket.version });
  }
}

async function apply(deps: ActOnTicketDeps, ticket: Ticket, caller: Caller, action: TicketAction): Promise<Ticket> {
  const now = deps.clock.now().toISOString();
  const actor = { type: caller.role, id: caller.subject };
  if (action.type === 'escalate') {
    if (ticket.escalationTier >= MAX_ESCALATION_TIER) {
      throw new ConflictError(`ticket is already at the highest tier (${MAX_ESCALATION_TIER})`, { escalationTier: ticket.escalationTier });
    }
    // Into the next tier's pool: nobody there is assigned yet; its on-call channel is told (below).
    return deps.tickets.update(
      ticket,
      { escalationTier: ticket.escalationTier + 1, assignee: undefined },
      { actor, via: 'api', action: 'ticket.escalated', reason: action.message },
    );
  }
  if (action.type === 'assign') {
    return deps.tickets.update(ticket, { assignee: action.assignee }, { actor, via: 'api', action: 'ticket.assigned', reason: action.message });
  }
  if (action.type === 'note') {
    // No field changes: the note is an internal message; the audit event holds its digest.
    return deps.tickets.update(ticket, {}, { actor, via: 'api', action: 'ticket.noted', message: { kind: 'note', text: action.message } });
  }
  if (isReturnAction(action)) {
    const { change, audit, reason } = applyReturnAction(ticket, action, now);
    return deps.tickets.update(ticket, withCompletion(ticket, change, now), { actor, via: 'api', action: audit, reason });
  }
  const { change, audit, reason } = applyComplaintAction(ticket, action.type as ComplaintActionType, now);
  // The message of a complaint action is the agent's public reply to the customer.
  return deps.tickets.update(ticket, withCompletion(ticket, change, now), { actor, via: 'api', action: audit, reason, message: reply(action.message) });
}

/** The change with the step it completes recorded: one that moves the stage, or meets the next reply the workflow waits on. */
function withCompletion(ticket: Ticket, change: Partial<Ticket>, now: string): Partial<Ticket> {
  return completingStep(ticket, change, endsTheWait(ticket, change), now);
}

/** An agent's public reply: stored with the change, called back to the marketplace. */
const reply = (text: string) => ({ kind: 'reply' as const, text });

const RETURN_ACTION_TYPES: readonly string[] = ['approve', 'reject', 'confirm_receipt', 'inspect', 'ship_replacement', 'complete_repair', 'uphold', 'overturn'] satisfies ReturnActionType[];

function isReturnAction(action: TicketAction): action is ReturnAction {
  return RETURN_ACTION_TYPES.includes(action.type);
}
