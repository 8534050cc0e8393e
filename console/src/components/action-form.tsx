import { useState } from 'preact/hooks';
import { ApiFailure, bodyOf } from '../api/client';
import type { ApiError, TicketAnswer, TicketStage, TicketView } from '../api/types';
import { useConsole } from '../context';
import { useI18n } from '../i18n/i18n';
import type { ActionType, MessageKey } from '../i18n/messages';
import { ErrorMessage } from './status';

/** Actions whose `message` the API requires (the others take it optionally). */
const MESSAGE_REQUIRED: readonly ActionType[] = ['respond', 'handle', 'resolve', 'await_customer', 'escalate', 'note', 'reject', 'uphold', 'overturn'];

type ActionBody = Record<string, unknown> & { type: ActionType };

/** The fields a 409 compares between the ticket on the page and the ticket now. */
const COMPARED_FIELDS = ['stage', 'escalationTier', 'assignee', 'version'] as const;
const FIELD_LABELS = { stage: 'stage', escalationTier: 'tier', assignee: 'assignee', version: 'version' } as const satisfies Record<(typeof COMPARED_FIELDS)[number], MessageKey>;
interface FieldChange {
  readonly field: (typeof COMPARED_FIELDS)[number];
  readonly from: unknown;
  readonly to: unknown;
}

/**
 * The actions the ticket allows at its stage. The page's version is not sent as
 * `expectedVersion`: the workflow's own bookkeeping moves the version too, and the API
 * re-reads and retries such changes. What it refuses with a 409 is an action the stage no
 * longer allows because someone moved the ticket meanwhile; the form then says what changed
 * (stage, tier, assignee, version) and offers a reload.
 */
export function ActionForm({ ticket, allowed, onChanged, onReload }: { ticket: TicketView; allowed: readonly ActionType[]; onChanged: (ticket: TicketView, done: string) => void; onReload: () => void }) {
  const { api } = useConsole();
  const { t, catalogue } = useI18n();
  const [type, setType] = useState<ActionType | undefined>(allowed[0]);
  const [message, setMessage] = useState('');
  const [assignee, setAssignee] = useState('');
  const [trackingNumber, setTrackingNumber] = useState('');
  const [evidenceRef, setEvidenceRef] = useState('');
  const [passed, setPassed] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [conflict, setConflict] = useState<{ error: ApiError; changes: FieldChange[] }>();

  if (allowed.length === 0) return <p class="muted">{t('noActions')}</p>;
  const chosen = type && allowed.includes(type) ? type : allowed[0]!;

  async function submit(event: Event) {
    event.preventDefault();
    setError(undefined);
    if (MESSAGE_REQUIRED.includes(chosen) && !message.trim()) {
      setError(new Error(t('messageRequired')));
      return;
    }
    const body: ActionBody = { type: chosen };
    if (message.trim()) body.message = message.trim();
    if (chosen === 'assign') body.assignee = assignee.trim();
    if (chosen === 'ship_replacement' || chosen === 'complete_repair') body.trackingNumber = trackingNumber.trim();
    if (chosen === 'inspect') {
      body.passed = passed;
      if (!passed) body.evidenceRef = evidenceRef.trim();
    }
    setBusy(true);
    try {
      const result = await api.POST('/tickets/{id}/actions', {
        params: { path: { id: ticket.id } },
        body: body as never,
      });
      const answer = bodyOf<TicketAnswer>(result);
      setMessage('');
      onChanged(answer.ticket, t('done', { action: catalogue.actions[chosen] }));
    } catch (failure) {
      if (failure instanceof ApiFailure && failure.status === 409) setConflict({ error: failure.body, changes: await changesSince(ticket) });
      else setError(failure as Error);
    } finally {
      setBusy(false);
    }
  }

  /** What differs between the ticket the page shows and the ticket now, to tell the agent what changed. */
  async function changesSince(shown: TicketView): Promise<FieldChange[]> {
    try {
      const now = bodyOf<TicketAnswer>(await api.GET('/tickets/{id}', { params: { path: { id: shown.id } } })).ticket;
      return COMPARED_FIELDS.filter((field) => shown[field] !== now[field]).map((field) => ({ field, from: shown[field], to: now[field] }));
    } catch {
      return []; // The 409's own message still says what happened.
    }
  }

  if (conflict) {
    const { error: answer, changes } = conflict;
    const shownValue = (field: FieldChange['field'], value: unknown) =>
      value === undefined || value === null ? t('none') : field === 'stage' ? (catalogue.stages[value as TicketStage] ?? String(value)) : String(value);
    return (
      <div class="alert" role="alert">
        <strong>{t('conflictTitle')}</strong>
        <p>{answer.message}</p>
        {changes.length > 0 && (
          <ul aria-label={t('changes')}>
            {changes.map((change) => (
              <li key={change.field}>
                {t(FIELD_LABELS[change.field])}: {shownValue(change.field, change.from)} → {shownValue(change.field, change.to)}
              </li>
            ))}
          </ul>
        )}
        {answer.stage && <p>{t('conflictStage', { stage: catalogue.stages[answer.stage] ?? answer.stage })}</p>}
        {answer.allowedActions && (
          <p>{t('conflictAllowed', { actions: answer.allowedActions.map((action) => catalogue.actions[action as ActionType] ?? action).join(', ') || t('none') })}</p>
        )}
        <button class="primary" type="button" onClick={() => { setConflict(undefined); onReload(); }}>
          {t('reload')}
        </button>
      </div>
    );
  }

  return (
    <form onSubmit={submit} aria-label={t('actions')}>
      <div class="form-grid">
        <label>
          {t('action')}
          <select name="action" value={chosen} onChange={(event) => setType(event.currentTarget.value as ActionType)}>
            {allowed.map((action) => (
              <option value={action} key={action}>
                {catalogue.actions[action]}
              </option>
            ))}
          </select>
        </label>
        {chosen === 'assign' && (
          <label>
            {t('assignee')}
            <input name="assignee" required value={assignee} onInput={(event) => setAssignee(event.currentTarget.value)} />
          </label>
        )}
        {(chosen === 'ship_replacement' || chosen === 'complete_repair') && (
          <label>
            {t('trackingNumber')}
            <input name="trackingNumber" required value={trackingNumber} onInput={(event) => setTrackingNumber(event.currentTarget.value)} />
          </label>
        )}
        {chosen === 'inspect' && (
          <>
            <label style="flex-direction:row;align-items:center;gap:6px">
              <input type="checkbox" name="passed" checked={passed} onChange={(event) => setPassed(event.currentTarget.checked)} />
              {t('inspectionPassed')}
            </label>
            {!passed && (
              <label>
                {t('evidenceRef')}
                <input name="evidenceRef" required value={evidenceRef} onInput={(event) => setEvidenceRef(event.currentTarget.value)} />
              </label>
            )}
          </>
        )}
        <label>
          {t('message')}
          <textarea name="message" value={message} onInput={(event) => setMessage(event.currentTarget.value)} />
        </label>
      </div>
      <div class="row-actions">
        <button class="primary" type="submit" disabled={busy}>
          {catalogue.actions[chosen]}
        </button>
      </div>
      {error && <ErrorMessage error={error} />}
    </form>
  );
}
