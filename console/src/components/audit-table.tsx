import type { AuditEvent } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { href } from '../router';

/** A ticket's event, or a marketplace's own (an export), which has `details` instead of changes. */
type Row = Omit<AuditEvent, 'ticketId' | 'changes'> & {
  readonly ticketId?: string;
  readonly chain?: string;
  readonly changes?: AuditEvent['changes'];
  readonly details?: Record<string, unknown>;
};

/** Audit events as a table; `brokenAtSeq` marks the first event the chain check rejected. */
export function AuditTable({ events, brokenAtSeq, showTicket = false }: { events: readonly Row[]; brokenAtSeq?: number; showTicket?: boolean }) {
  const { t, dateTime } = useI18n();
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t('seq')}</th>
          {showTicket && <th scope="col">{t('ticket')}</th>}
          <th scope="col">{t('at')}</th>
          <th scope="col">{t('actor')}</th>
          <th scope="col">{t('action')}</th>
          <th scope="col">{t('changes')}</th>
          <th scope="col">{t('reason')}</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr key={`${event.ticketId ?? event.marketplace}-${event.seq}`} class={event.seq === brokenAtSeq ? 'broken' : undefined} aria-invalid={event.seq === brokenAtSeq || undefined}>
            <td>{event.seq}</td>
            {showTicket && <td>{event.ticketId ? <a href={href(`/audit/tickets/${event.ticketId}`)}>{event.ticketId}</a> : event.marketplace}</td>}
            <td>{dateTime(event.at)}</td>
            <td>
              {event.actor.type}:{event.actor.id}
            </td>
            <td>
              <code>{event.action}</code>
            </td>
            <td class="changes">
              {event.details && <code>{JSON.stringify(event.details)}</code>}
              {(event.changes ?? []).map((change) => (
                <div key={change.field}>
                  {change.field}: {JSON.stringify(change.from) ?? '—'} → {JSON.stringify(change.to) ?? '—'}
                </div>
              ))}
            </td>
            <td>{event.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
