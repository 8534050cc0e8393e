import { readFileSync } from 'node:fs';
import { signPayload, verifySignature } from '@shared/webhooks/signature';

/**
 * The fixed test vectors published in docs/webhooks.md, so integrators can check their
 * signing code: if the code or the page changes, this fails.
 */
const SECRET = 'aftercare-test-vector-secret';
const TIMESTAMP = '1767225600';
const BODY =
  '{"id":"evt-1","type":"complaint.created","occurredAt":"2026-01-01T00:00:00Z","data":{"reference":"C-1","orderId":"O-1","customerRef":"cust-1","channel":"app","subject":"Broken parcel","description":"The box was crushed."}}';
const BODY_SIGNATURE = 'v1=13029ab8cb1dac30b802eecdfa6acdd99df69e1245c2977cc0d53bc97cf7d94b';
const STATUS_PATH = '/webhooks/acme/events/evt-1';
const STATUS_SIGNATURE = 'v1=e9c9b50a97e02f72ab5352667c08a5781239d11d664381f466725f26cade686b';

describe('aftercare-v1 test vectors', () => {
  const page = readFileSync('docs/webhooks.md', 'utf8');

  it('signs the published body to the published signature, and verifies it', () => {
    expect(signPayload(SECRET, TIMESTAMP, BODY)).toBe(BODY_SIGNATURE);
    expect(
      verifySignature({ secrets: [SECRET], timestampHeader: TIMESTAMP, signatureHeader: BODY_SIGNATURE, rawBody: BODY, nowSeconds: Number(TIMESTAMP) }),
    ).toEqual({ ok: true });
  });

  it('signs the published status request (`<timestamp>.GET.<path>`) to the published signature', () => {
    expect(signPayload(SECRET, TIMESTAMP, `GET.${STATUS_PATH}`)).toBe(STATUS_SIGNATURE);
  });

  it('matches what docs/webhooks.md publishes', () => {
    for (const value of [SECRET, TIMESTAMP, BODY, BODY_SIGNATURE, STATUS_PATH, STATUS_SIGNATURE]) expect(page).toContain(value);
  });
});
