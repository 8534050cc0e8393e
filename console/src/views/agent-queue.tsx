import { useState } from 'preact/hooks';
import type { QueueItem } from '../api/types';
import { QueueList } from '../components/queue-list';
import { ErrorMessage } from '../components/status';
import { useConsole } from '../context';
import { useI18n } from '../i18n/i18n';
import { MAX_ESCALATION_TIER } from '@shared/sla/tiers';
import { AlreadyTaken, takeTicket } from '../queue/take-ticket';
import { useQueue } from '../queue/use-queue';
import { navigate } from '../router';

const TIER_KEY = 'aftercare.tier';
/** Queues refresh on their own this often, so new and taken tickets show without a reload. */
const REFRESH_MS = 15_000;

function savedTier(): number {
  const tier = Number(localStorage.getItem(TIER_KEY) ?? 0);
  return Number.isInteger(tier) && tier >= 0 && tier <= MAX_ESCALATION_TIER ? tier : 0;
}

/**
 * An agent's work: the tickets assigned to them, and the unassigned tickets at their tier or
 * above (the tier is the agent's choice, kept in this browser), both soonest due first with
 * live countdowns. "Take" assigns a pool ticket to the agent and opens it.
 */
export function AgentQueue() {
  const { api } = useConsole();
  const { t } = useI18n();
  const [tier, setTier] = useState(savedTier);
  const mine = useQueue([{ assignee: 'me' }], REFRESH_MS);
  const pool = useQueue([{ unassigned: 'true', tierAtLeast: tier }], REFRESH_MS);
  const [taking, setTaking] = useState<string>();
  const [takeError, setTakeError] = useState<Error>();

  async function take(item: QueueItem) {
    setTaking(item.id);
    setTakeError(undefined);
    try {
      await takeTicket(api, item.id);
      navigate(`/tickets/${encodeURIComponent(item.id)}`);
    } catch (failure) {
      setTakeError(failure instanceof AlreadyTaken ? new Error(t('alreadyTaken', { reference: item.reference, assignee: failure.assignee })) : (failure as Error));
      pool.reload();
    } finally {
      setTaking(undefined);
    }
  }

  return (
    <>
      <section class="panel" aria-labelledby="mine-title">
        <h2 id="mine-title">{t('myQueue')}</h2>
        <QueueList queue={mine} label={t('myQueue')} />
      </section>
      <section class="panel" aria-labelledby="pool-title">
        <h2 id="pool-title">{t('poolQueue', { tier })}</h2>
        <div class="inline-controls">
          <label>
            {t('myTier')}
            <select
              name="tier"
              value={tier}
              onChange={(event) => {
                const next = Number(event.currentTarget.value);
                localStorage.setItem(TIER_KEY, String(next));
                setTier(next);
              }}
            >
              {Array.from({ length: MAX_ESCALATION_TIER + 1 }, (_, value) => (
                <option value={value} key={value}>
                  {value}
                </option>
              ))}
            </select>
          </label>
          <button class="secondary" type="button" onClick={() => { mine.reload(); pool.reload(); }}>
            {t('refresh')}
          </button>
        </div>
        {takeError && <ErrorMessage error={takeError} />}
        <QueueList
          queue={pool}
          label={t('poolQueue', { tier })}
          action={(item) => (
            <button class="secondary" type="button" disabled={taking !== undefined} onClick={() => void take(item)} aria-label={t('takeTicket', { reference: item.reference })}>
              {t('take')}
            </button>
          )}
        />
      </section>
    </>
  );
}
