import type { Role } from '@shared/auth/roles';
import { useState } from 'preact/hooks';
import { bodyOf, type ApiClient } from '../api/client';
import type { MessagePage, MessageView } from '../api/types';
import { useConsole, useLoad } from '../context';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { ErrorMessage, Loading } from './status';

const NOTE_WRITERS: readonly Role[] = ['agent', 'manager', 'admin'];

/** The most messages the page reads; a longer conversation says so. */
const MAX_MESSAGES = 1000;

const KIND_LABEL: Record<MessageView['kind'], MessageKey> = {
  complaint: 'messageComplaint',
  customer_reply: 'messageCustomerReply',
  reply: 'messageReply',
  note: 'messageNote',
};

async function readConversation(api: ApiClient, ticketId: string): Promise<{ messages: MessageView[]; truncated: boolean }> {
  const messages: MessageView[] = [];
  let cursor: string | undefined;
  do {
    const page = bodyOf<MessagePage>(await api.GET('/tickets/{id}/messages', { params: { path: { id: ticketId }, query: { limit: 100, ...(cursor ? { cursor } : {}) } } }));
    messages.push(...page.messages);
    cursor = page.cursor;
  } while (cursor && messages.length < MAX_MESSAGES);
  return { messages, truncated: cursor !== undefined };
}

/**
 * A ticket's conversation in the order recorded: what the customer and the agents said in
 * public, and apart from it the internal notes (the API lists notes only to agents, managers
 * and admins). `version` reloads it after an action. An admin may erase a message's text.
 */
export function Conversation({ ticketId, version }: { ticketId: string; version: number }) {
  const { api, session } = useConsole();
  const { t } = useI18n();
  const loaded = useLoad(() => readConversation(api, ticketId), [ticketId, version]);
  if (loaded.error) return <ErrorMessage error={loaded.error} />;
  if (!loaded.data) return <Loading />;
  const { messages, truncated } = loaded.data;
  const replies = messages.filter((message) => message.visibility === 'public');
  const notes = messages.filter((message) => message.visibility === 'internal');
  // The API decides who reads notes; an empty notes panel is shown only to those who write them.
  const seesNotes = notes.length > 0 || NOTE_WRITERS.includes(session.role);
  const canErase = session.role === 'admin';
  return (
    <>
      <section class="panel" aria-labelledby="conversation-title">
        <h3 id="conversation-title">{t('conversation')}</h3>
        {truncated && <p class="muted">{t('conversationTruncated', { count: messages.length })}</p>}
        {replies.length === 0 ? <p class="muted">{t('noMessages')}</p> : <MessageList ticketId={ticketId} messages={replies} label={t('conversation')} canErase={canErase} onErased={loaded.reload} />}
      </section>
      {seesNotes && (
        <section class="panel notes" aria-labelledby="notes-title">
          <h3 id="notes-title">{t('internalNotes')}</h3>
          <p class="muted">{t('internalNotesHint')}</p>
          {notes.length === 0 ? <p class="muted">{t('noNotes')}</p> : <MessageList ticketId={ticketId} messages={notes} label={t('internalNotes')} canErase={canErase} onErased={loaded.reload} />}
        </section>
      )}
    </>
  );
}

function MessageList({ ticketId, messages, label, canErase, onErased }: { ticketId: string; messages: readonly MessageView[]; label: string; canErase: boolean; onErased: () => void }) {
  const { t, dateTime } = useI18n();
  return (
    <ol class="messages" aria-label={label}>
      {messages.map((message) => (
        <li key={message.id} class={`message ${message.kind}`} data-testid="message" data-kind={message.kind}>
          <div class="message-head">
            <strong>{t(KIND_LABEL[message.kind])}</strong> <span class="muted">{`${message.author.type}:${message.author.id}`}</span>{' '}
            <span class="muted">{dateTime(message.saidAt)}</span>
          </div>
          <p class="message-text">{message.text}</p>
          {message.erasedAt && (
            <p class="muted">{t('messageErased', { at: dateTime(message.erasedAt), by: message.erasedBy ? `${message.erasedBy.type}:${message.erasedBy.id}` : '' })}</p>
          )}
          {canErase && !message.erasedAt && <EraseMessage ticketId={ticketId} message={message} onErased={onErased} />}
        </li>
      ))}
    </ol>
  );
}

/** An admin's erasure of a message's text on the data subject's request, with the reason recorded. */
function EraseMessage({ ticketId, message, onErased }: { ticketId: string; message: MessageView; onErased: () => void }) {
  const { api } = useConsole();
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<Error>();
  if (!open)
    return (
      <button class="secondary small" type="button" onClick={() => setOpen(true)}>
        {t('eraseMessage')}
      </button>
    );
  return (
    <form
      class="inline"
      aria-label={t('eraseMessage')}
      onSubmit={async (event) => {
        event.preventDefault();
        try {
          bodyOf(await api.POST('/tickets/{id}/messages/{messageId}/erase', { params: { path: { id: ticketId, messageId: message.id } }, body: { reason: reason.trim() } }));
          onErased();
        } catch (failure) {
          setError(failure as Error);
        }
      }}
    >
      <label>
        {t('eraseReason')}
        <input name="eraseReason" required value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
      </label>
      <button class="primary" type="submit">
        {t('eraseConfirm')}
      </button>
      <button class="secondary" type="button" onClick={() => setOpen(false)}>
        {t('cancel')}
      </button>
      {error && <ErrorMessage error={error} />}
    </form>
  );
}
