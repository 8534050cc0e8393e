import type { ComponentChildren } from 'preact';
import type { QueueItem, TicketStage } from '../api/types';
import { useI18n } from '../i18n/i18n';
import type { LoadedQueue } from '../queue/use-queue';
import { href } from '../router';
import { DueMark } from './due-mark';
import { ErrorMessage, Loading } from './status';
import { VirtualList } from './virtual-list';

const ROW_HEIGHT = 56;
const MAX_HEIGHT = 480;

/**
 * A work queue as a virtualised list (only the rows in view are in the page, so hundreds of
 * tickets scroll smoothly): next deadline with its live countdown and mark, the ticket, its
 * stage, tier, priority and assignee, and an optional action per row (e.g. "Take").
 */
export function QueueList({ queue, label, action }: { queue: LoadedQueue; label: string; action?: (item: QueueItem) => ComponentChildren }) {
  const { t, catalogue } = useI18n();
  if (queue.error && queue.items.length === 0) return <ErrorMessage error={queue.error} />;
  if (queue.loading) return <Loading />;
  return (
    <div class="queue" data-testid="queue">
      <p class="muted queue-count" role="status">
        {queue.truncated ? t('queueTruncated', { count: queue.items.length }) : queue.reading ? t('queueReading', { count: queue.items.length }) : t('queueCount', { count: queue.items.length })}
      </p>
      {queue.error && <ErrorMessage error={queue.error} />}
      {queue.items.length === 0 ? (
        <p>{t('queueEmpty')}</p>
      ) : (
        <>
          <div class="queue-row queue-head" aria-hidden="true">
            <span>{t('nextDeadline')}</span>
            <span>{t('ticket')}</span>
            <span>{t('stage')}</span>
            <span>{t('tierShort')}</span>
            <span>{t('priority')}</span>
            <span>{t('assignee')}</span>
            <span />
          </div>
          <VirtualList
            items={queue.items}
            rowHeight={ROW_HEIGHT}
            height={Math.min(MAX_HEIGHT, queue.items.length * ROW_HEIGHT + 2)}
            label={label}
            hint={t('queueKeyboardHint')}
            row={(item) => (
              <div class="queue-row" data-ticket={item.id}>
                <DueMark item={item} />
                <span class="queue-ticket">
                  <a href={href(`/tickets/${encodeURIComponent(item.id)}`)}>{item.reference}</a>
                  <span class="muted">{item.subject ?? (item.kind === 'return' ? t('kindReturn') : t('kindComplaint'))}</span>
                </span>
                <span>{catalogue.stages[item.stage as TicketStage] ?? item.stage}</span>
                <span>
                  <span class="sr-only">{t('tier')} </span>
                  {item.tier}
                </span>
                <span>{catalogue.priorities[item.priority] ?? item.priority}</span>
                <span>{item.assignee ?? <span class="muted">{t('unassigned')}</span>}</span>
                <span>{action?.(item)}</span>
              </div>
            )}
          />
        </>
      )}
    </div>
  );
}
