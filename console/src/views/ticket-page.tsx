import { useEffect, useState } from 'preact/hooks';
import { bodyOf } from '../api/client';
import type { TicketView } from '../api/types';
import { ActionForm } from '../components/action-form';
import { Conversation } from '../components/conversation';
import { DeadlineTimeline } from '../components/deadline-timeline';
import { ErrorMessage, Loading } from '../components/status';
import { useConsole, useLoad } from '../context';
import { useI18n } from '../i18n/i18n';
import type { ActionType } from '../i18n/messages';

interface TicketPageAnswer {
  readonly ticket: TicketView;
  readonly allowedActions: ActionType[];
}

/** One ticket: its facts, deadlines on a timeline, breaches, and the actions its stage allows. */
export function TicketPage({ id }: { id: string }) {
  const { api, session } = useConsole();
  const { t, catalogue, dateTime, duration } = useI18n();
  const loaded = useLoad(async () => bodyOf<TicketPageAnswer>(await api.GET('/tickets/{id}', { params: { path: { id } } })), [id]);
  const [ticket, setTicket] = useState<TicketView>();
  const [done, setDone] = useState<string>();
  useEffect(() => setTicket(loaded.data?.ticket), [loaded.data]);

  if (loaded.error) return <ErrorMessage error={loaded.error} />;
  if (!ticket || !loaded.data) return <Loading />;
  const canAct = session.role !== 'auditor';
  // After an action the page shows the changed ticket at once; what it allows next comes with the reload.
  const allowed = ticket.version === loaded.data.ticket.version ? loaded.data.allowedActions : undefined;
  const returnRequest = ticket.returnRequest;

  return (
    <article aria-labelledby="ticket-title">
      <h2 id="ticket-title">
        {t('ticket')} {ticket.id}
      </h2>
      <section class="panel">
        <dl class="facts">
          <dt>{t('stage')}</dt>
          <dd data-testid="ticket-stage">{catalogue.stages[ticket.stage] ?? ticket.stage}</dd>
          <dt>{t('kind')}</dt>
          <dd>{ticket.kind}</dd>
          <dt>{t('reference')}</dt>
          <dd>
            {ticket.marketplace} / {ticket.externalRef}
          </dd>
          {ticket.subject && (
            <>
              <dt>{t('subject')}</dt>
              <dd>{ticket.subject}</dd>
            </>
          )}
          <dt>{t('order')}</dt>
          <dd>{ticket.orderId}</dd>
          <dt>{t('customer')}</dt>
          <dd>{ticket.customerRef}</dd>
          <dt>{t('priority')}</dt>
          <dd>{ticket.priority}</dd>
          <dt>{t('tier')}</dt>
          <dd>{ticket.escalationTier}</dd>
          <dt>{t('assignee')}</dt>
          <dd data-testid="ticket-assignee">{ticket.assignee ?? t('unassigned')}</dd>
          <dt>{t('version')}</dt>
          <dd>{ticket.version}</dd>
          <dt>{t('updated')}</dt>
          <dd>{dateTime(ticket.updatedAt)}</dd>
        </dl>
      </section>

      {returnRequest && (
        <section class="panel" aria-labelledby="return-title">
          <h3 id="return-title">{t('returnRequest')}</h3>
          <dl class="facts">
            <dt>{t('requestType')}</dt>
            <dd>{returnRequest.requestType}</dd>
            <dt>{t('reason')}</dt>
            <dd>{returnRequest.reason}</dd>
            <dt>{t('amount')}</dt>
            <dd>
              {returnRequest.amount} {returnRequest.currency}
            </dd>
            <dt>{t('deliveredAt')}</dt>
            <dd>{dateTime(returnRequest.deliveredAt)}</dd>
            {ticket.returnDecision && (
              <>
                <dt>{t('decision')}</dt>
                <dd>
                  {ticket.returnDecision.outcome} ({ticket.returnDecision.by}){ticket.returnDecision.reason ? `: ${ticket.returnDecision.reason}` : ''}
                </dd>
              </>
            )}
          </dl>
        </section>
      )}

      <section class="panel" aria-labelledby="deadlines-title">
        <h3 id="deadlines-title">{t('deadlines')}</h3>
        <DeadlineTimeline ticket={ticket} />
        {ticket.breaches.length > 0 && (
          <>
            <h3>{t('breaches')}</h3>
            <ul>
              {ticket.breaches.map((breach) => (
                <li key={`${breach.metric}-${breach.dueAt}`}>
                  <span class="badge bad">{catalogue.deadlines[breach.metric]}</span> {t('lateBy', { duration: duration(breach.lateBySeconds) })} ·{' '}
                  {dateTime(breach.recordedAt)}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <Conversation ticketId={ticket.id} version={ticket.version} />

      {canAct && (
        <section class="panel" aria-labelledby="actions-title">
          <h3 id="actions-title">{t('actions')}</h3>
          {done && (
            <p class="notice" role="status">
              {done}
            </p>
          )}
          {allowed ? (
            <ActionForm
              key={ticket.version}
              ticket={ticket}
              allowed={allowed}
              onChanged={(next, message) => {
                setTicket(next);
                setDone(message);
                loaded.reload();
              }}
              onReload={() => {
                setDone(undefined);
                loaded.reload();
              }}
            />
          ) : (
            <Loading />
          )}
        </section>
      )}
    </article>
  );
}
