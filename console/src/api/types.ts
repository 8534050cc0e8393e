/**
 * The shapes of the API's answers, taken from the code that produces them (type-only
 * imports: nothing of the server is bundled). Request paths, parameters and bodies are typed
 * by the client generated from the OpenAPI document (schema.d.ts).
 */
import type { AuditEvent } from '@shared/audit/audit-event';
import type { ChainVerification } from '@shared/audit/verify-chain';
import type { NotificationPage, NotificationRecord, ChannelDelivery } from '@shared/notifications/notification-store';
import type { publicTicket } from '@shared/tickets/public-view';
import type { DeadlineName, TicketStage } from '@shared/tickets/ticket';
import type { QueueItem } from '@shared/tickets/queue-keys';
import type { ManagerSummary, QueuePage } from '@shared/tickets/ticket-queue';
import type { messageViewSchema } from '@shared/conversation/message-view';
import type { KpiRow, CsatBand } from '@shared/reports/kpi-report';
import type { AgentDraw } from '@shared/quality/draw';
import type { DrawPeriod } from '@shared/quality/quality-config';
import type { QualityReview, QualityScores } from '@shared/quality/quality-store';
import type { z } from 'zod';

export type TicketView = ReturnType<typeof publicTicket>;
export type { AuditEvent, ChainVerification, NotificationPage, NotificationRecord, ChannelDelivery, DeadlineName, TicketStage };
export type { ManagerSummary, QueueItem, QueuePage, KpiRow, CsatBand, AgentDraw, QualityReview, QualityScores };

/** A message of `GET /tickets/{id}/messages`. */
export type MessageView = z.infer<typeof messageViewSchema>;

/** `GET /tickets/{id}/messages`. */
export interface MessagePage {
  readonly ticketId: string;
  readonly messages: MessageView[];
  readonly cursor?: string;
}

/** `GET /reports/kpis` (JSON). */
export interface KpiReport {
  readonly marketplace: string;
  readonly period: string;
  readonly rows: KpiRow[];
}

export interface TicketAnswer {
  readonly ticket: TicketView;
}

/** `GET /audit/tickets/{id}`. */
export interface TicketAudit {
  readonly events: AuditEvent[];
  readonly chain: ChainVerification;
}

/** `GET /audit/events`: ticket events and marketplace events (exports) alike. */
export interface AuditPage {
  readonly events: (Omit<AuditEvent, 'changes'> & { readonly changes?: AuditEvent['changes']; readonly chain?: 'marketplace'; readonly details?: Record<string, unknown> })[];
  readonly cursor?: string;
}

/** `GET /audit/marketplaces/{marketplace}/chain`. */
export interface MarketplaceChain {
  readonly events: (Omit<AuditEvent, 'ticketId' | 'changes' | 'reason'> & { readonly chain: 'marketplace'; readonly details: Record<string, unknown> })[];
  readonly chain: ChainVerification;
}

/** Error bodies: `{error, message}`, and for a 409 what the ticket holds now. */
export interface ApiError {
  readonly error?: string;
  readonly message: string;
  readonly stage?: TicketStage;
  readonly allowedActions?: string[];
  readonly version?: number;
}

/** `GET /quality/reviews`: a period's draw (none yet: `draw` is null) and its reviews. */
export interface QualityReviewPage {
  readonly marketplace: string;
  readonly timeZone: string;
  /** `end` is the first local date after the period. */
  readonly period: { readonly kind: DrawPeriod; readonly start: string; readonly end: string } | null;
  readonly draw: { readonly seed: string; readonly share: number; readonly drawnAt: string; readonly method: string; readonly agents: AgentDraw[] } | null;
  readonly reviews: QualityReview[];
}

/** `POST /quality/reviews/{id}`. */
export interface QualityReviewAnswer {
  readonly review: QualityReview;
}
