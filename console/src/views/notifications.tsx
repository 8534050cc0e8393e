import { useState } from 'preact/hooks';
import { bodyOf } from '../api/client';
import type { NotificationPage, NotificationRecord } from '../api/types';
import { defaultMarketplace } from '../auth/session';
import { ErrorMessage, Loading } from '../components/status';
import { useConsole, useLoad } from '../context';
import { useI18n } from '../i18n/i18n';
import { href } from '../router';

const STATE_TONE: Record<NotificationRecord['state'], string> = { sent: 'ok', retrying: 'warn', failed: 'bad', no_channel: 'warn' };
const KIND_TONE: Record<NotificationRecord['kind'], string> = { breach: 'bad', warning: 'warn', escalated: 'bad' };
const KIND_LABEL = { breach: 'kindBreach', warning: 'kindWarning', escalated: 'kindEscalated' } as const satisfies Record<NotificationRecord['kind'], string>;

/** On-call notifications, newest first, with every channel's delivery state. */
export function Notifications() {
  const { api, session } = useConsole();
  const { t, catalogue, dateTime, duration } = useI18n();
  const [cursor, setCursor] = useState<string>();
  const marketplace = defaultMarketplace(session);
  const loaded = useLoad(
    async () => bodyOf<NotificationPage>(await api.GET('/notifications', { params: { query: { marketplace, cursor, limit: 50 } } })),
    [marketplace, cursor],
  );

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
