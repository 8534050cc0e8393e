import { defaultMarketplace } from '../auth/session';
import { QueueList } from '../components/queue-list';
import { useConsole } from '../context';
import { useI18n } from '../i18n/i18n';
import { useQueue } from '../queue/use-queue';

const REFRESH_MS = 15_000;

/** Open tickets escalated to tier 1 or above, soonest due first: the manager's own queue. */
export function Escalated() {
  const { session } = useConsole();
  const { t } = useI18n();
  const queue = useQueue([{ marketplace: defaultMarketplace(session), tierAtLeast: 1 }], REFRESH_MS);
  return (
    <section class="panel" aria-labelledby="escalated-title">
      <h2 id="escalated-title">{t('escalatedTitle')}</h2>
      <div class="row-actions">
        <button class="secondary" type="button" onClick={queue.reload}>
          {t('refresh')}
        </button>
      </div>
      <QueueList queue={queue} label={t('escalatedTitle')} />
    </section>
  );
}
