import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createGetWebhookEvent } from '@functions/get-webhook-event/get-webhook-event';
import { SignJWT } from 'jose';
import { bearerVerifierFromEnv } from '@shared/auth/bearer-token';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '@shared/errors';
import type { InboxItem } from '@shared/webhooks/inbox';
import { signPayload } from '@shared/webhooks/signature';
import { returnCaseEvents } from '../../support/events';

const SECRET = 'acme-status-secret-0001';
const DEV_KEY = 'a-dev-key-for-the-local-issuer-0001';

/** A bearer token as the local stack mints them (HS256 under its dev key), valid around NOW. */
const bearer = (claims: { role: string; marketplaces: string }, key = DEV_KEY, issuer = 'aftercare-local') => async () => ({
  authorization: `Bearer ${await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('someone')
    .setIssuer(issuer)
    .setAudience('aftercare')
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(key))}`,
});
const NOW = Date.parse('2026-03-02T10:00:00Z');
const shipped = returnCaseEvents('st')[1]!;
const base: InboxItem = {
  marketplace: 'acme',
  eventId: shipped.id,
  ticketId: 'tkt_st',
  event: shipped,
  receivedAt: '2026-03-02T09:00:00.000Z',
  status: 'received',
};

function statusOf(item: InboxItem | undefined, sign: (path: string) => Record<string, string> | Promise<Record<string, string>> = signedBy(SECRET)) {
  const getWebhookEvent = createGetWebhookEvent({
    inbox: { find: async (marketplace, eventId) => (item && marketplace === item.marketplace && eventId === item.eventId ? item : undefined) },
    registry: async () => ({ marketplaces: { acme: { webhookSecrets: [SECRET] } }, onCall: {} }),
    clock: { nowMs: () => NOW, now: () => new Date(NOW) },
    verifyBearer: bearerVerifierFromEnv({ JWT_ISSUER: 'aftercare-local', JWT_AUDIENCE: 'aftercare', JWT_DEV_KEY: DEV_KEY }),
  });
  const path = `/webhooks/acme/events/${shipped.id}`;
  return Promise.resolve(sign(path))
    .then((headers) => getWebhookEvent({ rawPath: path, pathParameters: { marketplace: 'acme', id: shipped.id }, headers } as unknown as APIGatewayProxyEventV2))
    .then((answer) => JSON.parse(answer.body as string));
}

const signedBy = (secret: string, at = NOW / 1000, method = 'GET') => (path: string) => ({
  'x-aftercare-timestamp': String(at),
  'x-aftercare-signature': signPayload(secret, String(at), `${method}.${path}`),
});

describe('GET /webhooks/{marketplace}/events/{id}', () => {
  const common = { eventId: 'st-shipped', type: 'return.shipped', reference: 'st', receivedAt: '2026-03-02T09:00:00.000Z' };

  it('tells a received event', async () => {
    expect(await statusOf(base)).toEqual({ ...common, status: 'received' });
  });

  it('tells an applied event with its ticket', async () => {
    expect(await statusOf({ ...base, status: 'applied', appliedAt: '2026-03-02T09:00:01.000Z' })).toEqual({
      ...common,
      status: 'applied',
      ticketId: 'tkt_st',
      appliedAt: '2026-03-02T09:00:01.000Z',
    });
  });

  it('tells a held event, what it waits for and until when', async () => {
    expect(await statusOf({ ...base, status: 'held', reason: 'waiting for the event that opens case st' })).toEqual({
      ...common,
      status: 'held',
      waitingFor: 'waiting for the event that opens case st',
      heldUntil: '2026-03-03T09:00:00.000Z',
    });
  });

  it('tells a rejected event, why and when', async () => {
    expect(await statusOf({ ...base, status: 'rejected', reason: 'held for more than 24 h: …', rejectedAt: '2026-03-03T09:01:00.000Z' })).toEqual({
      ...common,
      status: 'rejected',
      reason: 'held for more than 24 h: …',
      rejectedAt: '2026-03-03T09:01:00.000Z',
    });
  });

  it('answers 404 for an event it never received', async () => {
    await expect(statusOf(undefined)).rejects.toThrow(NotFoundError);
  });

  it('refuses a wrong secret, a stale timestamp, a signature over another method, or none', async () => {
    await expect(statusOf(base, signedBy('not-the-acme-secret-0001'))).rejects.toThrow(UnauthorizedError);
    await expect(statusOf(base, signedBy(SECRET, NOW / 1000 - 301))).rejects.toThrow('timestamp is outside the 300 s window');
    await expect(statusOf(base, signedBy(SECRET, NOW / 1000, 'POST'))).rejects.toThrow('signature does not match');
    await expect(statusOf(base, () => ({}))).rejects.toThrow(UnauthorizedError);
  });

  it('answers an admin whose grant covers the marketplace, with a bearer token in place of a signature', async () => {
    expect(await statusOf(base, bearer({ role: 'admin', marketplaces: 'acme' }))).toEqual({ ...common, status: 'received' });
    expect(await statusOf(base, bearer({ role: 'admin', marketplaces: '*' }))).toEqual({ ...common, status: 'received' });
  });

  it('refuses another role, another grant, a forged or foreign token', async () => {
    await expect(statusOf(base, bearer({ role: 'agent', marketplaces: 'acme' }))).rejects.toThrow(new ForbiddenError('role agent may not do this; allowed: admin'));
    await expect(statusOf(base, bearer({ role: 'admin', marketplaces: 'other' }))).rejects.toThrow(new ForbiddenError('marketplace acme is outside your grant'));
    await expect(statusOf(base, bearer({ role: 'admin', marketplaces: 'acme' }, 'not-the-dev-key-of-this-stack'))).rejects.toThrow(UnauthorizedError);
    await expect(statusOf(base, bearer({ role: 'admin', marketplaces: 'acme' }, DEV_KEY, 'https://issuer.example'))).rejects.toThrow(UnauthorizedError);
    await expect(statusOf(base, () => ({ authorization: 'Bearer not-a-jwt' }))).rejects.toThrow(UnauthorizedError);
  });
});
