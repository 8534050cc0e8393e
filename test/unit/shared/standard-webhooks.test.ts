import { Webhook } from 'standardwebhooks';
import { parseRegistry } from '@shared/config/marketplaces';
import { signStandardWebhook, verifyStandardWebhook } from '@shared/webhooks/standard-webhooks';
import { verifyMarketplaceRequest } from '@shared/webhooks/request-signature';

// The Standard Webhooks specification's own example secret.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER = 'whsec_' + Buffer.from('another key of thirty-two bytes!').toString('base64');
const NOW = 1_767_225_600;
const BODY = '{"id":"evt-1","type":"complaint.created"}';

/** Headers as the `standardwebhooks` library's own signer makes them. */
function librarySigned(secret: string, id: string, at: number, body: string) {
  return { 'webhook-id': id, 'webhook-timestamp': String(at), 'webhook-signature': new Webhook(secret).sign(id, new Date(at * 1000), body) };
}

const check = (headers: Record<string, string>, secrets = [SECRET], content = BODY, now = NOW) =>
  verifyStandardWebhook({ secrets, headers, content, nowSeconds: now });

describe('Standard Webhooks', () => {
  it('accepts what the standardwebhooks library signs', () => {
    expect(check(librarySigned(SECRET, 'msg_1', NOW, BODY))).toEqual({ ok: true });
  });

  it('signs what the standardwebhooks library verifies', () => {
    const at = Math.floor(Date.now() / 1000); // the library checks the window on the system clock
    const headers = { 'webhook-id': 'msg_2', 'webhook-timestamp': String(at), 'webhook-signature': signStandardWebhook(SECRET, 'msg_2', at, BODY) };
    expect(new Webhook(SECRET).verify(BODY, headers)).toEqual(JSON.parse(BODY));
    expect(() => new Webhook(OTHER).verify(BODY, headers)).toThrow('No matching signature found');
  });

  it('accepts any of several space-separated signatures and any active secret (rotation)', () => {
    const signed = librarySigned(SECRET, 'msg_3', NOW, BODY);
    const withOld = { ...signed, 'webhook-signature': `${librarySigned(OTHER, 'msg_3', NOW, BODY)['webhook-signature']} ${signed['webhook-signature']}` };
    expect(check(withOld)).toEqual({ ok: true });
    expect(check(librarySigned(OTHER, 'msg_3', NOW, BODY), [SECRET, OTHER])).toEqual({ ok: true });
  });

  it('refuses another secret, a changed body or id, a stale timestamp and missing headers', () => {
    const signed = librarySigned(SECRET, 'msg_4', NOW, BODY);
    expect(check(librarySigned(OTHER, 'msg_4', NOW, BODY))).toEqual({ ok: false, reason: 'signature does not match' });
    expect(check(signed, [SECRET], BODY.replace('evt-1', 'evt-2'))).toEqual({ ok: false, reason: 'signature does not match' });
    expect(check({ ...signed, 'webhook-id': 'msg_5' })).toEqual({ ok: false, reason: 'signature does not match' });
    expect(check(signed, [SECRET], BODY, NOW + 301)).toEqual({ ok: false, reason: 'timestamp is outside the 300 s window' });
    expect(check({ ...signed, 'webhook-signature': '' })).toEqual({ ok: false, reason: 'webhook-signature header with a v1, value is required' });
    expect(check({ 'webhook-timestamp': String(NOW), 'webhook-signature': signed['webhook-signature'] })).toEqual({ ok: false, reason: 'webhook-id header is required' });
  });

  it('is chosen per marketplace; aftercare-v1 stays the default', () => {
    const signed = librarySigned(SECRET, 'msg_6', NOW, BODY);
    expect(verifyMarketplaceRequest({ webhookSecrets: [SECRET], signatureScheme: 'standard-webhooks' }, signed, BODY, NOW)).toEqual({ ok: true });
    expect(verifyMarketplaceRequest({ webhookSecrets: [SECRET] }, signed, BODY, NOW)).toEqual({
      ok: false,
      reason: 'X-Aftercare-Timestamp header (unix seconds) is required',
    });
  });

  it('requires whsec_ secrets of a marketplace that chose it, and a known scheme', () => {
    const registry = (marketplace: object) => () => parseRegistry(JSON.stringify({ marketplaces: { acme: marketplace } }), 'config');
    expect(registry({ signatureScheme: 'standard-webhooks', webhookSecrets: [SECRET], callbackSecret: OTHER })().marketplaces.acme?.signatureScheme).toBe('standard-webhooks');
    expect(registry({ signatureScheme: 'standard-webhooks', webhookSecrets: ['plain-secret-of-16+chars'] })).toThrow(
      'config is invalid: marketplaces.acme.webhookSecrets.0: with signatureScheme standard-webhooks, secrets are "whsec_" followed by the base64 of a key of 24 bytes or more',
    );
    expect(registry({ signatureScheme: 'stripe', webhookSecrets: [SECRET] })).toThrow(
      'config is invalid: marketplaces.acme.signatureScheme: signatureScheme is one of aftercare-v1, standard-webhooks',
    );
  });
});
