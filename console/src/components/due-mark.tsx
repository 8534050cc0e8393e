import type { DeadlineName, QueueItem } from '../api/types';
import { useNow } from '../clock';
import { useI18n } from '../i18n/i18n';

export type DueTone = 'bad' | 'warn' | '';

/**
 * How urgent a queued ticket is at `now`: `bad` once a deadline was breached (or the next one
 * has passed and the breach is not recorded yet), `warn` once the next deadline's warning was
 * recorded, otherwise nothing; and the seconds left on its next deadline (negative: late).
 */
export function dueState(item: Pick<QueueItem, 'nextDeadline' | 'breaches'>, now: number): { tone: DueTone; secondsLeft: number | null } {
  const secondsLeft = item.nextDeadline ? Math.round((Date.parse(item.nextDeadline.dueAt) - now) / 1000) : null;
  if (item.breaches.length > 0 || (secondsLeft !== null && secondsLeft < 0)) return { tone: 'bad', secondsLeft };
  if (item.nextDeadline?.warnedAt) return { tone: 'warn', secondsLeft };
  return { tone: '', secondsLeft };
}

/** The next deadline of a queued ticket with a live countdown, and its warning or breach mark. */
export function DueMark({ item }: { item: Pick<QueueItem, 'nextDeadline' | 'breaches'> }) {
  const { t, catalogue, duration } = useI18n();
  const now = useNow();
  const { tone, secondsLeft } = dueState(item, now);
  const deadline = item.nextDeadline;
  return (
    <span class="due" data-tone={tone || 'ok'}>
      {tone === 'bad' && <span class="badge bad">{t('markBreached')}</span>}
      {tone === 'warn' && <span class="badge warn">{t('markWarned')}</span>}{' '}
      {deadline && secondsLeft !== null ? (
        <>
          <span>{catalogue.deadlines[deadline.name as DeadlineName] ?? deadline.name}</span>{' '}
          <span class={`countdown ${secondsLeft < 0 ? 'bad' : ''}`} data-testid="countdown">
            {secondsLeft >= 0 ? t('timeLeft', { duration: duration(secondsLeft) }) : t('lateBy', { duration: duration(-secondsLeft) })}
          </span>
        </>
      ) : (
        <span class="muted">{t('noDeadlineRunning')}</span>
      )}
    </span>
  );
}
