import { useState } from 'preact/hooks';
import type { TicketStage } from '../api/types';
import { defaultMarketplace } from '../auth/session';
import { QueueList } from '../components/queue-list';
import { useConsole } from '../context';
import { useI18n } from '../i18n/i18n';
import { useQueue } from '../queue/use-queue';

/**
 * The return stages where the next step is the merchant's (docs/returns.md): decide
 * (`requested`), confirm the parcel's receipt, inspect before the refund, ship the replacement
 * or the repaired item. Stages waiting on the buyer or the platform are not listed.
 */
export const MERCHANT_STAGES = ['requested', 'awaiting_receipt', 'refund_due', 'awaiting_replacement', 'awaiting_repair'] as const satisfies readonly TicketStage[];
const REFRESH_MS = 15_000;

/**
 * A merchant's return requests waiting on them, soonest limit first, with the limit's
 * countdown (48 h to decide, 10 days to confirm receipt, …). Each opens the ticket page, whose
 * action form offers what the stage allows: approve, reject, confirm receipt, inspect.
 */
export function MerchantReturns() {
  const { session } = useConsole();
  const { t, catalogue } = useI18n();
  const [step, setStep] = useState<string>('');
  const marketplace = defaultMarketplace(session);
  const stages = step ? [step] : MERCHANT_STAGES;
  const queue = useQueue(
    stages.map((stage) => ({ marketplace, kind: 'return' as const, stage })),
    REFRESH_MS,
  );
  return (
    <section class="panel" aria-labelledby="returns-title">
      <h2 id="returns-title">{t('navReturns')}</h2>
      <p class="muted">{t('returnsHint')}</p>
      <div class="inline-controls">
        <label>
          {t('returnStep')}
          <select name="step" value={step} onChange={(event) => setStep(event.currentTarget.value)}>
            <option value="">{t('allMySteps')}</option>
            {MERCHANT_STAGES.map((stage) => (
              <option value={stage} key={stage}>
                {catalogue.stages[stage]}
              </option>
            ))}
          </select>
        </label>
        <button class="secondary" type="button" onClick={queue.reload}>
          {t('refresh')}
        </button>
      </div>
      <QueueList queue={queue} label={t('navReturns')} />
    </section>
  );
}
