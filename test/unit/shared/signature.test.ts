import { signPayload, verifySignature } from '@shared/webhooks/signature';

const SECRET = 'whsec-current-0123456789';
const OLD_SECRET = 'whsec-previous-0123456789';
const NOW = 1_790_000_000;
const BODY = '{"id":"evt_1","type":"complaint.created"}';

function check(overrides: Partial<Parameters<typeof verifySignature>[0]> = {}) {
  const timestamp = String(NOW);
  return verifySignature({
    secrets: [SECRET],
    timestampHeader: timestamp,
    signatureHeader: signPayload(SECRET, timestamp, BODY),
    rawBody: BODY,
    nowSeconds: NOW,
    ...overrides,
  });
}

describe('verifySignature', () => {
  it('accepts a body signed with the marketplace secret', () => {
    expect(check()).toEqual({ ok: true });
  });

  it('rejects a signature made with another secret', () => {
    expect(check({ signatureHeader: signPayload('some-other-secret-123', String(NOW), BODY) })).toEqual({
      ok: false,
      reason: 'signature does not match',
    });
  });

  it('rejects a tampered body', () => {
    expect(check({ rawBody: BODY.replace('evt_1', 'evt_2') }).ok).toBe(false);
  });

  it('rejects timestamps more than 300 s old or ahead, and accepts the edge', () => {
    const at = (ts: number) =>
      check({ timestampHeader: String(ts), signatureHeader: signPayload(SECRET, String(ts), BODY) });
    expect(at(NOW - 300).ok).toBe(true);
    expect(at(NOW + 300).ok).toBe(true);
    expect(at(NOW - 301)).toEqual({ ok: false, reason: 'timestamp is outside the 300 s window' });
    expect(at(NOW + 301).ok).toBe(false);
  });

  it('accepts any active secret during rotation and any of several v1 values', () => {
    const ts = String(NOW);
    expect(check({ secrets: [SECRET, OLD_SECRET], signatureHeader: signPayload(OLD_SECRET, ts, BODY) }).ok).toBe(true);
    const both = `${signPayload('retired-secret-0123456', ts, BODY)}, ${signPayload(SECRET, ts, BODY)}`;
    expect(check({ signatureHeader: both }).ok).toBe(true);
  });

  it('requires the headers', () => {
    expect(check({ timestampHeader: undefined }).ok).toBe(false);
    expect(check({ timestampHeader: 'yesterday' }).ok).toBe(false);
    expect(check({ signatureHeader: undefined }).ok).toBe(false);
    expect(check({ signatureHeader: 'v1=nothex' }).ok).toBe(false);
  });
});
