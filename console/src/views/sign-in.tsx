import { ROLES, type Role } from '@shared/auth/roles';
import { useState } from 'preact/hooks';
import { oidcManager } from '../auth/oidc';
import type { ConsoleConfig } from '../auth/console-config';
import { sessionFromToken, type Session } from '../auth/session';
import { ErrorMessage } from '../components/status';
import { useI18n } from '../i18n/i18n';

/**
 * Locally: pick a role and a marketplace, and the stack's `/_local/tokens` issues a dev
 * token. In AWS: the OIDC provider's sign-in page (authorization code with PKCE).
 */
export function SignIn({ config, onSignedIn }: { config: ConsoleConfig; onSignedIn: (session: Session) => void }) {
  const { t, catalogue } = useI18n();
  const [role, setRole] = useState<Role>('agent');
  const [marketplace, setMarketplace] = useState('demo');
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  async function signInLocally(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const response = await fetch(`${config.apiUrl}/_local/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role, marketplace: marketplace.trim() }),
      });
      const body = (await response.json()) as { token?: string; message?: string };
      if (!response.ok || !body.token) throw new Error(body.message ?? `HTTP ${response.status}`);
      onSignedIn(sessionFromToken(body.token));
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="panel" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">{t('signInTitle')}</h2>
      {config.auth === 'local' ? (
        <form class="inline" onSubmit={signInLocally}>
          <p class="muted" style="flex-basis:100%">
            {t('signInLocalHint')}
          </p>
          <label>
            {t('role')}
            <select name="role" value={role} onChange={(event) => setRole(event.currentTarget.value as Role)}>
              {ROLES.map((option) => (
                <option value={option} key={option}>
                  {catalogue.roles[option]}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('marketplace')}
            <input name="marketplace" required value={marketplace} onInput={(event) => setMarketplace(event.currentTarget.value)} />
          </label>
          <button class="primary" type="submit" disabled={busy}>
            {t('signIn')}
          </button>
        </form>
      ) : (
        <>
          <p class="muted">{t('signInOidcHint')}</p>
          <button class="primary" type="button" onClick={() => oidcManager(config).signinRedirect().catch(setError)}>
            {t('signInOidc')}
          </button>
        </>
      )}
      {error && <ErrorMessage error={error} />}
    </section>
  );
}
