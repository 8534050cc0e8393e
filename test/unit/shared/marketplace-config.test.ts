import { parseRegistry } from '@shared/config/marketplaces';
import { ConfigurationError } from '@shared/errors';

const SECRET = 'a-webhook-secret-of-16+';
const problemsIn = (registry: unknown): string => {
  try {
    parseRegistry(JSON.stringify(registry), 'config');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('the registry was accepted');
};

describe('the marketplace registry is strict', () => {
  it('accepts a registry that uses only known fields', () => {
    const registry = parseRegistry(
      JSON.stringify({ marketplaces: { 'acme-2': { webhookSecrets: [SECRET], callbackUrl: 'https://acme.example/cb', callbackSecret: SECRET } } }),
      'config',
    );
    expect(registry.marketplaces['acme-2']).toEqual({ webhookSecrets: [SECRET], callbackUrl: 'https://acme.example/cb', callbackSecret: SECRET });
  });

  it('rejects a misspelt key instead of dropping it, and suggests the known one', () => {
    expect(problemsIn({ marketplaces: { acme: { webhookSecrets: [SECRET], callbackURL: 'https://acme.example/cb' } } })).toBe(
      'config is invalid: marketplaces.acme.callbackURL: unknown field (did you mean callbackUrl?)',
    );
  });

  it('names the known fields when an unknown key resembles none', () => {
    expect(problemsIn({ marketplaces: { acme: { webhookSecrets: [SECRET], sla: { defualt: {} } } } })).toBe(
      'config is invalid: marketplaces.acme.sla.defualt: unknown field (known fields: default, low, normal, high, urgent)',
    );
  });

  it('rejects unknown keys at the top level and inside nested sections', () => {
    expect(problemsIn({ marketplaces: {}, oncall: {} })).toBe('config is invalid: oncall: unknown field (did you mean onCall?)');
    expect(problemsIn({ marketplaces: { acme: { webhookSecrets: [SECRET], returns: { refundDays: 3 } } } })).toMatch(
      /^config is invalid: marketplaces\.acme\.returns\.refundDays: unknown field \(known fields: .*refundSeconds/,
    );
    expect(
      problemsIn({ marketplaces: { acme: { webhookSecrets: [SECRET], onCall: { channels: [{ name: 'a', type: 'slack', url: 'https://x.example', minTeir: 1 }] } } } }),
    ).toBe('config is invalid: marketplaces.acme.onCall.channels.0.minTeir: unknown field');
  });

  it('names a bad marketplace id and the rule for ids', () => {
    expect(problemsIn({ marketplaces: { Acme: { webhookSecrets: [SECRET] } } })).toBe(
      'config is invalid: marketplaces: "Acme": marketplace ids are lower-case letters, digits and dashes',
    );
  });

  it('names the field and the rule for wrong values', () => {
    expect(problemsIn({ marketplaces: { acme: { webhookSecrets: ['short'] } } })).toBe(
      'config is invalid: marketplaces.acme.webhookSecrets.0: webhook secrets need at least 16 characters',
    );
    expect(problemsIn({ marketplaces: { acme: { webhookSecrets: [] } } })).toBe(
      'config is invalid: marketplaces.acme.webhookSecrets: a marketplace needs at least one webhook secret',
    );
    expect(problemsIn({ marketplaces: { acme: { webhookSecrets: [SECRET], callbackUrl: 'acme.example/cb' } } })).toBe(
      'config is invalid: marketplaces.acme.callbackUrl: callbackUrl must be an absolute URL',
    );
  });

  it('lists every problem at once', () => {
    expect(problemsIn({ marketplaces: { Acme: { webhookSecrets: [SECRET] }, acme: { webhookSecrets: [SECRET], callbackURL: 'x' } } })).toBe(
      'config is invalid: marketplaces: "Acme": marketplace ids are lower-case letters, digits and dashes; marketplaces.acme.callbackURL: unknown field (did you mean callbackUrl?)',
    );
  });
});
