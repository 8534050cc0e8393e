import { z } from 'zod';
import type { Message } from './message';

/** Query string of `GET /tickets/{id}/messages`. */
export const listMessagesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50).describe('messages per page (1-100, default 50)'),
  cursor: z.string().min(1).max(32).optional().describe('the `cursor` of the previous page'),
});

/** Body of `POST /tickets/{id}/messages/{messageId}/erase`. */
export const eraseMessageBody = z.strictObject({
  reason: z.string().trim().min(1).max(2_000).describe('why the text is erased, e.g. the reference of the data subject\'s request'),
});

const actorSchema = z.object({ type: z.string(), id: z.string() });

/** A message as API callers see it (the response schema of the OpenAPI document). */
export const messageViewSchema = z.object({
  id: z.string(),
  seq: z.number().int().describe('the audit sequence number of the change that recorded it: the conversation order'),
  kind: z.enum(['complaint', 'customer_reply', 'reply', 'note']),
  visibility: z.enum(['public', 'internal']),
  author: actorSchema,
  text: z.string().describe('`[erased]` once erased'),
  sha256: z.string().describe('SHA-256 (hex) of the text as said, the same the audit event holds'),
  length: z.number().int().describe('length of the text as said, in UTF-8 bytes'),
  saidAt: z.string(),
  recordedAt: z.string(),
  erasedAt: z.string().nullable(),
  erasedBy: actorSchema.nullable(),
});

export const messagePageSchema = z.object({
  ticketId: z.string(),
  messages: z.array(messageViewSchema),
  cursor: z.string().optional().describe('present when more messages follow'),
});

export function messageView(message: Message): z.infer<typeof messageViewSchema> {
  return {
    id: message.id,
    seq: message.seq,
    kind: message.kind,
    visibility: message.visibility,
    author: message.author,
    text: message.text,
    sha256: message.sha256,
    length: message.length,
    saidAt: message.saidAt,
    recordedAt: message.recordedAt,
    erasedAt: message.erasedAt ?? null,
    erasedBy: message.erasedBy ?? null,
  };
}
