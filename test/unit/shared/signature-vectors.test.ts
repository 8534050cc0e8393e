import { readFileSync } from 'node:fs';
import { signPayload, verifySignature } from '@shared/webhooks/signature';
import { signStandardWebhook, verifyStandardWebhook } from '@shared/webhooks/standard-webhooks';

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

/** The Standard Webhooks vectors of docs/webhooks.md: the specification's own example, and an Aftercare event. */
describe('standard-webhooks test vectors', () => {
  const page = readFileSync('docs/webhooks.md', 'utf8');
  const SW_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const vectors = [
    { id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330, content: '{"test": 2432232314}', signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' },
    { id: 'msg_evt-1', timestamp: Number(TIMESTAMP), content: BODY, signature: 'v1,agwH77GEnCKXd+OmgopCeq/cIO6rf3hwirPR3z7aLVw=' },
    { id: 'status_1', timestamp: Number(TIMESTAMP), content: `GET.${STATUS_PATH}`, signature: 'v1,3QjTwuWtpTYJVu6JQUirngRkRsIssGh9Gw3dxRtGQO4=' },
  ];

  it.each(vectors)('signs $id to the published signature, and verifies it', ({ id, timestamp, content, signature }) => {
    expect(signStandardWebhook(SW_SECRET, id, timestamp, content)).toBe(signature);
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
    expect(verifyStandardWebhook({ secrets: [SW_SECRET], headers, content, nowSeconds: timestamp })).toEqual({ ok: true });
  });

  it('matches what docs/webhooks.md publishes', () => {
    for (const { id, timestamp, signature } of vectors) {
      for (const value of [SW_SECRET, id, String(timestamp), signature]) expect(page).toContain(value);
    }
    expect(page).toContain(`status_1.${TIMESTAMP}.GET.${STATUS_PATH}`);
  });
});
