import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Clock } from '@shared/clock';
import { NO_DEADLINE, TicketRepository } from '@shared/tickets/ticket-repository';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './aws/local-aws-environment';

/**
 * Executions of the local Step Functions service live in memory, so a stack restarted on
 * kept data would leave its open tickets without a workflow. This starts a new execution for
 * each open complaint and return; the workflows are re-entrant, so it resumes at the ticket's stage with
 * the deadlines it had. (In AWS executions survive, and this is not needed.)
 */
export async function resumeOpenTickets(input: {
  readonly endpoints: { readonly dynamodb: string; readonly sfn: string };
  readonly ticketsTable: string;
  readonly auditTable: string;
  readonly marketplaces: readonly string[];
  readonly complaintStateMachineArn: string;
  readonly returnStateMachineArn: string;
  readonly clock: Clock;
}): Promise<number> {
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: input.endpoints.dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
  );
  const sfn = new SFNClient({ endpoint: input.endpoints.sfn, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const tickets = new TicketRepository({ client: documents, ticketsTable: input.ticketsTable, auditTable: input.auditTable, clock: input.clock });
  let resumed = 0;
  try {
    for (const marketplace of input.marketplaces) {
      for (const { ticketId } of await tickets.openTicketsDueBefore(marketplace, `${NO_DEADLINE}~`)) {
        const ticket = await tickets.find(ticketId);
        if (!ticket) continue;
        await sfn.send(
          new StartExecutionCommand({
            stateMachineArn: ticket.kind === 'return' ? input.returnStateMachineArn : input.complaintStateMachineArn,
            // Execution names are unique per state machine, so a resumed one gets its own.
            name: `${ticketId}-resumed-${input.clock.nowMs()}`,
            input: JSON.stringify({ ticketId }),
          }),
        );
        resumed += 1;
      }
    }
  } finally {
    documents.destroy();
    sfn.destroy();
  }
  return resumed;
}
