import type { DeadlineName, TicketView } from '../api/types';
import { useNow } from '../clock';
import { useI18n } from '../i18n/i18n';

type Tone = 'ok' | 'warn' | 'bad' | 'now' | '';

interface Mark {
  readonly at: number;
  readonly tone: Tone;
  readonly label: string;
  readonly detail: string;
}

/**
 * The ticket's deadlines in time order with "now" placed among them: each met, breached,
 * warned or still open (with the time left), so an agent sees at a glance what comes next.
 */
export function DeadlineTimeline({ ticket }: { ticket: TicketView }) {
  const { t, catalogue, dateTime, duration } = useI18n();
  const now = useNow();
  const marks: Mark[] = Object.entries(ticket.deadlines).map(([name, deadline]) => {
    const label = catalogue.deadlines[name as DeadlineName] ?? name;
    const due = Date.parse(deadline.dueAt);
    if (deadline.metAt) return { at: due, tone: 'ok', label, detail: `${t('deadlineDue', { at: dateTime(deadline.dueAt) })} · ${t('deadlineMet', { at: dateTime(deadline.metAt) })}` };
    if (deadline.breachedAt) return { at: due, tone: 'bad', label, detail: `${t('deadlineDue', { at: dateTime(deadline.dueAt) })} · ${t('deadlineBreached', { at: dateTime(deadline.breachedAt) })}` };
    const left = Math.round((due - now) / 1000);
    const status = left >= 0 ? duration(left) : t('lateBy', { duration: duration(-left) });
    const warned = deadline.warnedAt ? ` · ${t('deadlineWarned', { at: dateTime(deadline.warnedAt) })}` : '';
    return { at: due, tone: deadline.warnedAt || left < 0 ? 'warn' : '', label, detail: `${t('deadlineDue', { at: dateTime(deadline.dueAt) })} · ${status}${warned}` };
  });
  marks.push({ at: now, tone: 'now', label: t('now'), detail: dateTime(new Date(now).toISOString()) });
  marks.sort((a, b) => a.at - b.at);
  return (
    <ol class="timeline" aria-label={t('deadlines')}>
      {marks.map((mark) => (
        <li class={mark.tone} key={`${mark.label}-${mark.at}`}>
          <strong>{mark.label}</strong> <span class="muted">{mark.detail}</span>
        </li>
      ))}
    </ol>
  );
}
