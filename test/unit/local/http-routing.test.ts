import { routes } from '@infra/resources';
import { httpAnswerFrom } from '../../../infra/local/http/api-gateway-event';
import { MalformedPathError, RouteTable } from '../../../infra/local/http/route-table';
import { substitutePlaceholders } from '../../../infra/local/substitute-placeholders';

describe('RouteTable', () => {
  const table = new RouteTable(routes);

  it('matches the description\'s routes with their path parameters and route key', () => {
    expect(table.match('POST', '/webhooks/acme')).toMatchObject({
      routeKey: 'POST /webhooks/{marketplace}',
      pathParameters: { marketplace: 'acme' },
      route: { function: 'receive-webhook', auth: 'none' },
    });
    expect(table.match('GET', '/audit/tickets/tkt_1')).toMatchObject({ routeKey: 'GET /audit/tickets/{id}', pathParameters: { id: 'tkt_1' } });
    expect(table.match('GET', '/tickets/a%20b')?.pathParameters).toEqual({ id: 'a b' });
  });

  it.each(['/tickets/%', '/tickets/%E0%A4%A', '/tickets/%C0%80', '/audit/marketplaces/%FF/chain'])(
    'refuses a path parameter whose percent-encoding does not decode (%s)',
    (path) => {
      expect(() => table.match('GET', path)).toThrow(MalformedPathError);
      expect(() => table.match('GET', path)).toThrow(/^malformed percent-encoding in path segment "/);
    },
  );

  it('matches neither another method nor extra segments', () => {
    expect(table.match('GET', '/webhooks/acme')).toBeUndefined();
    expect(table.match('GET', '/tickets/1/extra')).toBeUndefined();
    expect(table.match('GET', '/_local/clock')).toBeUndefined();
  });
});

describe('httpAnswerFrom', () => {
  it('uses a structured result as given', () => {
    const answer = httpAnswerFrom({ statusCode: 202, headers: { 'Content-Type': 'application/json' }, body: '{"ok":true}' });
    expect(answer).toEqual({ statusCode: 202, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"ok":true}') });
  });

  it('turns any other value into a 200 JSON answer, as payload 2.0 does', () => {
    expect(httpAnswerFrom({ hello: 'world' })).toMatchObject({ statusCode: 200, body: Buffer.from('{"hello":"world"}') });
  });
});

describe('substitutePlaceholders', () => {
  it('replaces every placeholder', () => {
    expect(substitutePlaceholders('{"a":"${One}","b":"${Two}"}', { One: '1', Two: '2' }, 'x.json')).toBe('{"a":"1","b":"2"}');
  });

  it('refuses a placeholder without a value and a value without a placeholder', () => {
    expect(() => substitutePlaceholders('${Missing}', {}, 'x.json')).toThrow('x.json: placeholder ${Missing} has no substitution');
    expect(() => substitutePlaceholders('{}', { Extra: '1' }, 'x.json')).toThrow('x.json: substitutions Extra are not used');
  });
});
