import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { ConsoleConfig } from './console-config';

type OidcConfig = Extract<ConsoleConfig, { auth: 'oidc' }>;

/**
 * Sign-in with the OIDC provider the API's JWT authorizer trusts: the authorization code
 * flow with PKCE (oidc-client-ts), back to the console's own URL. The API gets the access
 * token, whose `iss`, `aud`, `sub`, `role` and `marketplaces` claims it checks.
 */
export function oidcManager(config: OidcConfig): UserManager {
  const redirect = new URL('./', document.baseURI).href;
  return new UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: redirect,
    post_logout_redirect_uri: redirect,
    response_type: 'code',
    scope: config.scope,
    userStore: new WebStorageStateStore({ store: sessionStorage }),
  });
}

/** After the provider redirected back with `?code=`: the access token, and a clean URL. */
export async function completeOidcSignIn(manager: UserManager): Promise<string | undefined> {
  const url = new URL(location.href);
  if (!url.searchParams.has('code') && !url.searchParams.has('error')) return undefined;
  const user = await manager.signinRedirectCallback();
  history.replaceState(null, '', url.pathname + url.hash);
  return user.access_token;
}
