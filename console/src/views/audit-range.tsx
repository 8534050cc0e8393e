import { useState } from 'preact/hooks';
import { bodyOf } from '../api/client';
import type { AuditPage } from '../api/types';
import { defaultMarketplace } from '../auth/session';
import { AuditTable } from '../components/audit-table';
import { ErrorMessage, Loading } from '../components/status';
import { useNow } from '../clock';
import { useConsole, useLoad } from '../context';
import { useI18n } from '../i18n/i18n';

interface RangeQuery {
  readonly marketplace: string;
  readonly from: string;
  readonly to: string;
  readonly actor?: string;
  readonly action?: string;
}

/** `<input type="datetime-local">` value (local time, to the minute) for an instant. */
const localInput = (ms: number) => {
  const date = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return date.toISOString().slice(0, 16);
};
const isoOf = (local: string) => new Date(local).toISOString();

/**
 * A marketplace's audit events in a time range with actor and action filters, page by page,
 * and the whole range downloaded as CSV or NDJSON (the download is itself audited).
 */
export function AuditRange() {
  const { session } = useConsole();
  const { t } = useI18n();
  const now = useNow();
  const [form, setForm] = useState({
    marketplace: defaultMarketplace(session),
    from: localInput(now - 7 * 86_400_000),
    to: localInput(now + 3_600_000),
    actor: '',
    action: '',
  });
  const [query, setQuery] = useState<RangeQuery>();
  const field = (name: keyof typeof form) => ({
    name,
    value: form[name],
    onInput: (event: Event) => setForm({ ...form, [name]: (event.currentTarget as HTMLInputElement).value }),
  });

  return (
    <section aria-labelledby="audit-range-title">
      <h2 id="audit-range-title">{t('auditRange')}</h2>
      <form
        class="inline panel"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setQuery({
            marketplace: form.marketplace.trim(),
            from: isoOf(form.from),
            to: isoOf(form.to),
            actor: form.actor.trim() || undefined,
            action: form.action.trim() || undefined,
          });
        }}
      >
        <label>
          {t('marketplace')}
          <input required {...field('marketplace')} />
        </label>
        <label>
          {t('from')}
          <input type="datetime-local" required {...field('from')} />
        </label>
        <label>
          {t('to')}
          <input type="datetime-local" required {...field('to')} />
        </label>
        <label>
          {t('actor')}
          <input placeholder="agent:alice" {...field('actor')} />
        </label>
        <label>
          {t('action')}
          <input placeholder="ticket.escalated" {...field('action')} />
        </label>
        <button class="primary" type="submit">
          {t('search')}
        </button>
      </form>
      {query && <RangeResults key={JSON.stringify(query)} query={query} />}
    </section>
  );
}

function RangeResults({ query }: { query: RangeQuery }) {
  const { api } = useConsole();
  const { t } = useI18n();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const loaded = useLoad(async () => bodyOf<AuditPage>(await api.GET('/audit/events', { params: { query: { ...query, cursor, limit: 100 } } })), [cursor]);
  return (
    <>
      <ExportButtons query={query} />
      {loaded.error && <ErrorMessage error={loaded.error} />}
      {!loaded.data && !loaded.error && <Loading />}
      {loaded.data && (loaded.data.events.length === 0 ? <p>{t('noEvents')}</p> : <AuditTable events={loaded.data.events} showTicket />)}
      {loaded.data?.cursor && (
        <div class="row-actions">
          <button class="secondary" type="button" onClick={() => setCursors([...cursors, loaded.data?.cursor])}>
            {t('nextPage')}
          </button>
        </div>
      )}
    </>
  );
}

function ExportButtons({ query }: { query: RangeQuery }) {
  const { api } = useConsole();
  const { t } = useI18n();
  const [saved, setSaved] = useState<string>();
  const [error, setError] = useState<Error>();

  async function download(format: 'csv' | 'ndjson') {
    setSaved(undefined);
    setError(undefined);
    try {
      const result = await api.GET('/audit/export', { params: { query: { ...query, format } }, parseAs: 'blob' });
      const blob = bodyOf<Blob>(result);
      const file = `audit-${query.marketplace}-${query.from.slice(0, 10)}-${query.to.slice(0, 10)}.${format}`;
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = file;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      setSaved(t('exported', { file }));
    } catch (failure) {
      setError(failure as Error);
    }
  }

  return (
    <div class="row-actions">
      <button class="secondary" type="button" onClick={() => download('csv')}>
        {t('exportCsv')}
      </button>
      <button class="secondary" type="button" onClick={() => download('ndjson')}>
        {t('exportNdjson')}
      </button>
      {saved && (
        <span class="notice" role="status">
          {saved}
        </span>
      )}
      {error && <ErrorMessage error={error} />}
    </div>
  );
}
