/**
 * How this console signs in and where the API is, read at start from `config.json` next to
 * the page: the local stack writes `{"auth": "local"}`; the AWS deployment writes the OIDC
 * provider the API's JWT authorizer trusts and the API's URL (stack parameters).
 */
export type ConsoleConfig =
  | { readonly auth: 'local'; readonly apiUrl: string }
  | {
      readonly auth: 'oidc';
      readonly apiUrl: string;
      /** The issuer URL (`iss`), serving /.well-known/openid-configuration. */
      readonly issuer: string;
      readonly clientId: string;
      readonly scope: string;
    };

export async function loadConsoleConfig(): Promise<ConsoleConfig> {
  const response = await fetch(new URL('config.json', document.baseURI), { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  const config = (await response.json()) as Partial<ConsoleConfig>;
  const apiUrl = (config.apiUrl ?? '').replace(/\/$/, '');
  if (config.auth === 'oidc') return { ...(config as ConsoleConfig & { auth: 'oidc' }), apiUrl };
  return { auth: 'local', apiUrl };
}
