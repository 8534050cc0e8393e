import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '@shared/audit/audit-event';
import { recordFromItem } from '@shared/audit/audit-record';
import { queryAll } from '@shared/aws/query-all';

/** Reads part of a ticket's audit trail: the events numbered `fromSeq` to `toSeq`, in order. */
export type TrailRange = (ticketId: string, fromSeq: number, toSeq: number) => Promise<AuditEvent[]>;

/** {@link TrailRange} over the audit table: one Query on the ticket's key, strongly consistent. */
export function auditTrailRange(client: DynamoDBDocumentClient, auditTable: string): TrailRange {
  const sk = (seq: number) => `SEQ#${String(seq).padStart(10, '0')}`;
  return async (ticketId, fromSeq, toSeq) => {
    const items = await queryAll(client, {
      TableName: auditTable,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': `TICKET#${ticketId}`, ':from': sk(fromSeq), ':to': sk(toSeq) },
      ConsistentRead: true,
    });
    return items.map((item) => recordFromItem(item) as AuditEvent);
  };
}
