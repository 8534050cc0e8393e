import { useState } from 'preact/hooks';
import { bodyOf } from '../api/client';
import { useInterval } from '../hooks/use-interval';
import type { NotificationPage, NotificationRecord } from '../api/types';
import { defaultMarketplace } from '../auth/session';
import { ErrorMessage, Loading } from '../components/status';
import { useConsole, useLoad } from '../context';
import { useI18n } from '../i18n/i18n';
import { href } from '../router';

const STATE_TONE: Record<NotificationRecord['state'], string> = { sent: 'ok', retrying: 'warn', failed: 'bad', no_channel: 'warn' };
const KIND_TONE: Record<NotificationRecord['kind'], string> = { breach: 'bad', warning: 'warn', escalated: 'bad' };
const KIND_LABEL = { breach: 'kindBreach', warning: 'kindWarning', escalated: 'kindEscalated' } as const satisfies Record<NotificationRecord['kind'], string>;

/** The notifications list reads itself again this often, in place. */
const REFRESH_MS = 10_000;

/** On-call notifications, newest first, with every channel's delivery state and who acknowledged each. */
export function Notifications() {
  const { api, session } = useConsole();
  const { t, catalogue, dateTime, duration } = useI18n();
  const [cursor, setCursor] = useState<string>();
  const marketplace = defaultMarketplace(session);
  const loaded = useLoad(
    async () => bodyOf<NotificationPage>(await api.GET('/notifications', { params: { query: { marketplace, cursor, limit: 50 } } })),
    [marketplace, cursor],
  );
  useInterval(loaded.reload, REFRESH_MS);

  return (
    <section aria-labelledby="notifications-title">
      <h2 id="notifications-title">{t('notifications')}</h2>
      <div class="row-actions">
        <button class="secondary" type="button" onClick={loaded.reload}>
          {t('refresh')}
        </button>
      </div>
      {loaded.error && <ErrorMessage error={loaded.error} />}
      {!loaded.data && !loaded.error && <Loading />}
      {loaded.data && loaded.data.notifications.length === 0 && <p>{t('noNotifications')}</p>}
      {loaded.data && loaded.data.notifications.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('kind')}</th>
              <th scope="col">{t('ticket')}</th>
              <th scope="col">{t('metric')}</th>
              <th scope="col">{t('recordedAt')}</th>
              <th scope="col">{t('tier')}</th>
              <th scope="col">{t('deliveries')}</th>
              <th scope="col">{t('acknowledged')}</th>
            </tr>
          </thead>
          <tbody>
            {loaded.data.notifications.map((notification) => (
              <tr key={notification.id} data-testid="notification">
                <td>
                  <span class={`badge ${KIND_TONE[notification.kind]}`}>{t(KIND_LABEL[notification.kind])}</span>
                </td>
                <td>
                  <a href={href(`/tickets/${notification.ticketId}`)}>{notification.ticketId}</a>
                </td>
                <td>
                  {/* An escalation by hand names no deadline. */}
                  {notification.metric ? catalogue.deadlines[notification.metric] : '—'}
                  <div class="muted">
                    {notification.dueAt && t('deadlineDue', { at: dateTime(notification.dueAt) })}
                    {notification.lateBySeconds > 0 && ` · ${t('lateBy', { duration: duration(notification.lateBySeconds) })}`}
                  </div>
                </td>
                <td>{dateTime(notification.at)}</td>
                <td>{notification.escalationTier}</td>
                <td>
                  <span class={`badge ${STATE_TONE[notification.state]}`}>{catalogue.delivery[notification.state]}</span>
                  <ul>
                    {notification.deliveries.map((delivery) => (
                      <li key={delivery.channel}>
                        {delivery.channel} ({delivery.type}): {catalogue.delivery[delivery.state]} · {t('attempts', { count: delivery.attempts })}
                        {delivery.nextAttemptAt && ` · ${t('nextAttemptAt', { at: dateTime(delivery.nextAttemptAt) })}`}
                        {delivery.lastError && <div class="muted">{delivery.lastError}</div>}
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  <Acknowledgement notification={notification} onAcknowledged={loaded.reload} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {loaded.data?.cursor && (
        <div class="row-actions">
          <button class="secondary" type="button" onClick={() => setCursor(loaded.data?.cursor)}>
            {t('olderPage')}
          </button>
        </div>
      )}
    </section>
  );
}

/**
 * Who acknowledged the notification and when, or the button that does (`POST
 * /notifications/{id}/ack`; the API passes it on to the PagerDuty channels that paged).
 */
function Acknowledgement({ notification, onAcknowledged }: { notification: NotificationRecord; onAcknowledged: () => void }) {
  const { api } = useConsole();
  const { t, catalogue, dateTime } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [acknowledged, setAcknowledged] = useState(notification.acknowledged);
  const shown = notification.acknowledged ?? acknowledged;
  if (shown) {
    return (
      <div data-testid="acknowledged">
        <span class="badge ok">{t('acknowledgedBy', { by: `${shown.by.type}:${shown.by.id}`, at: dateTime(shown.at) })}</span>
        {notification.acknowledgementDeliveries.length > 0 && (
          <ul>
            {notification.acknowledgementDeliveries.map((delivery) => (
              <li key={delivery.channel}>
                {delivery.channel}: {catalogue.delivery[delivery.state]} · {dateTime(delivery.at)}
                {delivery.error && <div class="muted">{delivery.error}</div>}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  return (
    <>
      <button
        class="primary"
        type="button"
        disabled={busy}
        aria-label={t('acknowledgeNotification', { kind: t(KIND_LABEL[notification.kind]), ticket: notification.ticketId })}
        onClick={async () => {
          setBusy(true);
          setError(undefined);
          try {
            const answer = bodyOf<{ notification: NotificationRecord }>(await api.POST('/notifications/{id}/ack', { params: { path: { id: notification.id } } }));
            setAcknowledged(answer.notification.acknowledged);
            onAcknowledged();
          } catch (failure) {
            setError(failure as Error);
          } finally {
            setBusy(false);
          }
        }}
      >
        {t('acknowledge')}
      </button>
      {error && <ErrorMessage error={error} />}
    </>
  );
}
