import { render } from 'preact';
import { App } from './app';
import { loadConsoleConfig } from './auth/console-config';
import { completeOidcSignIn, oidcManager } from './auth/oidc';
import { saveSession, sessionFromToken, type Session } from './auth/session';
import { I18nProvider } from './i18n/i18n';
import './styles.css';

async function start() {
  const root = document.getElementById('app')!;
  try {
    const config = await loadConsoleConfig();
    let session: Session | undefined;
    if (config.auth === 'oidc') {
      const token = await completeOidcSignIn(oidcManager(config));
      if (token) {
        session = sessionFromToken(token);
        saveSession(session);
      }
    }
    render(
      <I18nProvider>
        <App config={config} initialSession={session} />
      </I18nProvider>,
      root,
    );
  } catch (error) {
    root.textContent = `Aftercare console could not start: ${(error as Error).message}`;
  }
}

void start();
