import { bodyOf } from '../api/client';
import type { TicketAudit } from '../api/types';
import { AuditTable } from '../components/audit-table';
import { ChainVerdict } from '../components/chain-verdict';
import { ErrorMessage, Loading } from '../components/status';
import { useConsole, useLoad } from '../context';
import { useI18n } from '../i18n/i18n';
import { TicketLookup } from './ticket-lookup';

/** A ticket's audit trail in order, under the chain verdict. */
export function AuditTicket({ id }: { id?: string }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="audit-ticket-title">
      <h2 id="audit-ticket-title">{t('auditTimeline')}</h2>
      <TicketLookup base="/audit/tickets" initial={id} />
      {id && <AuditTrail id={id} />}
    </section>
  );
}

function AuditTrail({ id }: { id: string }) {
  const { api } = useConsole();
  const loaded = useLoad(async () => bodyOf<TicketAudit>(await api.GET('/audit/tickets/{id}', { params: { path: { id } } })), [id]);
  if (loaded.error) return <ErrorMessage error={loaded.error} />;
  if (!loaded.data) return <Loading />;
  const { chain, events } = loaded.data;
  return (
    <>
      <ChainVerdict chain={chain} />
      <AuditTable events={events} brokenAtSeq={chain.valid ? undefined : chain.brokenAtSeq} />
    </>
  );
}
