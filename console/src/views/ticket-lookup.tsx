import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../router';

/** Opens a ticket by id under `base` (`/tickets` or `/audit/tickets`). */
export function TicketLookup({ base, initial = '' }: { base: string; initial?: string }) {
  const { t } = useI18n();
  const [id, setId] = useState(initial);
  return (
    <form
      class="inline panel"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        if (id.trim()) navigate(`${base}/${encodeURIComponent(id.trim())}`);
      }}
    >
      <label>
        {t('ticketId')}
        <input name="ticketId" required size={36} value={id} onInput={(event) => setId(event.currentTarget.value)} />
      </label>
      <button class="primary" type="submit">
        {t('findTicket')}
      </button>
    </form>
  );
}
