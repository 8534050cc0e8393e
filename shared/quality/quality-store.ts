import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { queryAll } from '@shared/aws/query-all';
import type { AgentDraw, Candidate } from './draw';
import type { DrawPeriod } from './quality-config';
import type { ReviewId } from './review-id';
import type { TransactWriteItem } from '@shared/tickets/ticket-repository';

/** A complaint as it closed, recorded by the KPI aggregator: what a quality draw picks from. */
export interface ClosedComplaint extends Candidate {
  readonly closedAt: string;
}

/** A period's draw as recorded: what it picked from, the seed, and what it picked. */
export interface QualityDraw {
  readonly marketplace: string;
  readonly period: DrawPeriod;
  /** First local date of the period, and the first date after it. */
  readonly start: string;
  readonly end: string;
  readonly timeZone: string;
  readonly share: number;
  readonly seed: string;
  readonly drawnAt: string;
  readonly agents: readonly AgentDraw[];
  /** Whether every review item of the draw is written (a draw interrupted half way is finished by the next run). */
  readonly complete: boolean;
}

export interface QualityScores {
  readonly courtesy: number;
  readonly accuracy: number;
  readonly process: number;
}

/** A drawn complaint's review: pending until a manager scores it. */
export interface QualityReview {
  readonly id: string;
  readonly marketplace: string;
  readonly period: DrawPeriod;
  readonly start: string;
  readonly ticketId: string;
  readonly agent: string;
  readonly status: 'pending' | 'done';
  readonly drawnAt: string;
  readonly scores?: QualityScores;
  readonly comment?: string;
  readonly reviewedBy?: string;
  readonly reviewedAt?: string;
}

/** Keys in the reports table. Closed complaints sort by local date, so a period's are one Query. */
export const closedKey = (marketplace: string, localDate: string, ticketId: string) => ({ pk: `CLOSED#${marketplace}`, sk: `${localDate}#${ticketId}` });
const drawKey = (marketplace: string, start: string, period: DrawPeriod) => ({ pk: `QDRAW#${marketplace}`, sk: `${start}#${period}` });
const reviewPartition = (marketplace: string, period: DrawPeriod, start: string) => `QREVIEW#${marketplace}#${period}#${start}`;
const reviewKey = (id: ReviewId) => ({ pk: reviewPartition(id.marketplace, id.period, id.start), sk: id.ticketId });

const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
};

/** Quality draws and reviews, and the closed complaints they are drawn from, in the reports table. */
export class QualityStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly reportsTable: string,
  ) {}

  /** Complaints closed on local dates `[fromDate, toDate)`: one Query. */
  async closedBetween(marketplace: string, fromDate: string, toDate: string): Promise<ClosedComplaint[]> {
    // Sort keys are `<date>#<ticket>`: those of dates before `toDate` sort before it, the rest after.
    const items = await queryAll(this.client, {
      TableName: this.reportsTable,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': closedKey(marketplace, '', '').pk, ':from': fromDate, ':to': toDate },
      ConsistentRead: true,
    });
    return items.map((item) => ({ ticketId: String(item.ticketId), agent: String(item.agent), closedAt: String(item.closedAt) }));
  }

  async draw(marketplace: string, start: string, period: DrawPeriod): Promise<QualityDraw | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.reportsTable, Key: drawKey(marketplace, start, period), ConsistentRead: true }));
    return Item ? strip<QualityDraw>(Item) : undefined;
  }

  /** The draw of the latest period drawn, if any: one Query, newest first. */
  async latestDraw(marketplace: string): Promise<QualityDraw | undefined> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.reportsTable,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': drawKey(marketplace, '', 'week').pk },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    return Items?.[0] ? strip<QualityDraw>(Items[0]) : undefined;
  }

  /** Records a draw unless one is recorded for the period already (then false: that one stands). */
  async recordDraw(draw: QualityDraw): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.reportsTable,
          Item: { ...drawKey(draw.marketplace, draw.start, draw.period), ...draw },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Writes a drawn complaint's pending review unless it is written already (a finished draw run again). */
  async addReview(review: QualityReview): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({ TableName: this.reportsTable, Item: { ...reviewKey(review), ...review }, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async markDrawComplete(draw: QualityDraw): Promise<void> {
    await this.client.send(
      new UpdateCommand({ TableName: this.reportsTable, Key: drawKey(draw.marketplace, draw.start, draw.period), UpdateExpression: 'SET complete = :true', ExpressionAttributeValues: { ':true': true } }),
    );
  }

  /** A draw's reviews, in ticket id order: one Query. */
  async reviews(marketplace: string, period: DrawPeriod, start: string): Promise<QualityReview[]> {
    const items = await queryAll(this.client, {
      TableName: this.reportsTable,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': reviewPartition(marketplace, period, start) },
    });
    return items.map((item) => strip<QualityReview>(item));
  }

  async review(id: ReviewId): Promise<QualityReview | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.reportsTable, Key: reviewKey(id), ConsistentRead: true }));
    return Item ? strip<QualityReview>(Item) : undefined;
  }

  /**
   * The write that marks a review done, to go in the ticket change's transaction (so the
   * scores, the ticket's audit event and the review's status change together). Its condition
   * fails when the review was done meanwhile.
   */
  completeReviewWrite(id: ReviewId, done: { scores: QualityScores; comment: string; reviewedBy: string; reviewedAt: string }): TransactWriteItem {
    return {
      Update: {
        TableName: this.reportsTable,
        Key: reviewKey(id),
        UpdateExpression: 'SET #status = :done, scores = :scores, #comment = :comment, reviewedBy = :by, reviewedAt = :at',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status', '#comment': 'comment' },
        ExpressionAttributeValues: { ':done': 'done', ':pending': 'pending', ':scores': done.scores, ':comment': done.comment, ':by': done.reviewedBy, ':at': done.reviewedAt },
      },
    };
  }
}
