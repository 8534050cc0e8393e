import type { Role } from '@shared/auth/roles';
import { useMemo, useState } from 'preact/hooks';
import { createApiClient } from './api/client';
import type { ConsoleConfig } from './auth/console-config';
import { oidcManager } from './auth/oidc';
import { saveSession, savedSession, type Session } from './auth/session';
import { NowProvider } from './clock';
import { ViewBoundary } from './components/view-boundary';
import { ConsoleContext, type ConsoleContextValue } from './context';
import { useI18n } from './i18n/i18n';
import { LANGUAGES, CATALOGUES, type Language, type MessageKey } from './i18n/messages';
import { href, useHashPath } from './router';
import { AgentQueue } from './views/agent-queue';
import { AuditRange } from './views/audit-range';
import { AuditTicket } from './views/audit-ticket';
import { Board } from './views/board';
import { Escalated } from './views/escalated';
import { LazyKpiReport } from './views/lazy-kpi-report';
import { MarketplaceChain } from './views/marketplace-chain';
import { MerchantReturns } from './views/merchant-returns';
import { Notifications } from './views/notifications';
import { QualityReviews } from './views/quality-reviews';
import { SignIn } from './views/sign-in';
import { TicketLookup } from './views/ticket-lookup';
import { TicketPage } from './views/ticket-page';

interface NavItem {
  readonly path: string;
  readonly label: MessageKey;
  readonly roles: readonly Role[];
}

/** The views, and the roles the API lets call what each shows; a role's first view is its home. */
const NAV: readonly NavItem[] = [
  { path: '/queue', label: 'navQueue', roles: ['agent', 'admin'] },
  { path: '/returns', label: 'navReturns', roles: ['merchant'] },
  { path: '/board', label: 'navBoard', roles: ['manager', 'admin'] },
  { path: '/escalated', label: 'navEscalated', roles: ['manager', 'admin'] },
  { path: '/tickets', label: 'navTicket', roles: ['agent', 'merchant', 'manager', 'admin'] },
  { path: '/notifications', label: 'navNotifications', roles: ['manager', 'admin'] },
  { path: '/kpis', label: 'navKpis', roles: ['manager', 'auditor', 'admin'] },
  { path: '/quality', label: 'navQuality', roles: ['manager', 'admin'] },
  { path: '/audit/tickets', label: 'navAuditTicket', roles: ['auditor', 'admin'] },
  { path: '/audit/events', label: 'navAuditRange', roles: ['auditor', 'admin'] },
  { path: '/audit/chain', label: 'navAuditChain', roles: ['auditor', 'admin'] },
];

export function App({ config, initialSession }: { config: ConsoleConfig; initialSession?: Session }) {
  const [session, setSession] = useState<Session | undefined>(initialSession ?? savedSession());
  const path = useHashPath();
  const { t } = useI18n();

  const context = useMemo<ConsoleContextValue | undefined>(() => {
    if (!session) return undefined;
    const signOut = () => {
      saveSession(undefined);
      setSession(undefined);
      if (config.auth === 'oidc') void oidcManager(config).removeUser();
    };
    return { config, session, apiUrl: config.apiUrl, api: createApiClient(config.apiUrl, session.token, signOut), signOut };
  }, [config, session]);

  const signIn = (next: Session) => {
    saveSession(next);
    setSession(next);
  };

  return (
    <>
      <a class="skip" href="#main" onClick={(event) => { event.preventDefault(); document.getElementById('main')?.focus(); }}>
        {t('skipToContent')}
      </a>
      <header class="top">
        <h1>{t('appTitle')}</h1>
        {context && <Nav path={path} role={context.session.role} />}
        <div class="who">
          <LanguageSwitch />
          {context && <SignedIn context={context} />}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {context ? (
          <ConsoleContext.Provider value={context}>
            <NowProvider config={config}>
              <ViewBoundary key={path}>
                <View path={path} role={context.session.role} />
              </ViewBoundary>
            </NowProvider>
          </ConsoleContext.Provider>
        ) : (
          <SignIn config={config} onSignedIn={signIn} />
        )}
      </main>
    </>
  );
}

function Nav({ path, role }: { path: string; role: Role }) {
  const { t } = useI18n();
  return (
    <nav aria-label="main">
      <ul>
        {NAV.filter((item) => item.roles.includes(role)).map((item) => (
          <li key={item.path}>
            <a href={href(item.path)} aria-current={path.startsWith(item.path) ? 'page' : undefined}>
              {t(item.label)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function LanguageSwitch() {
  const { t, language, setLanguage } = useI18n();
  return (
    <label style="flex-direction:row;align-items:center;gap:6px">
      {t('language')}
      <select name="language" value={language} onChange={(event) => setLanguage(event.currentTarget.value as Language)}>
        {LANGUAGES.map((option) => (
          <option value={option} key={option} lang={option === 'zh' ? 'zh-CN' : 'en'}>
            {CATALOGUES[option].name}
          </option>
        ))}
      </select>
    </label>
  );
}

function SignedIn({ context }: { context: ConsoleContextValue }) {
  const { t, catalogue } = useI18n();
  const { session } = context;
  return (
    <>
      <span data-testid="signed-in">
        {t('signedInAs', { subject: session.subject, role: catalogue.roles[session.role], marketplace: session.marketplaces.join(' ') })}
      </span>
      <button type="button" onClick={context.signOut}>
        {t('signOut')}
      </button>
    </>
  );
}

/** The view for the hash path; `/` opens the first view the role may use. */
function View({ path, role }: { path: string; role: Role }) {
  const { t } = useI18n();
  const [, first, second, third] = path.split('/').map((part) => decodeURIComponent(part));
  if (first === 'tickets') return second ? <TicketPage id={second} /> : <TicketLookup base="/tickets" />;
  if (first === 'queue') return <AgentQueue />;
  if (first === 'returns') return <MerchantReturns />;
  if (first === 'board') return <Board />;
  if (first === 'escalated') return <Escalated />;
  if (first === 'kpis') return <LazyKpiReport />;
  if (first === 'notifications') return <Notifications />;
  if (first === 'quality') return <QualityReviews />;
  if (first === 'audit' && second === 'tickets') return <AuditTicket id={third} />;
  if (first === 'audit' && second === 'events') return <AuditRange />;
  if (first === 'audit' && second === 'chain') return <MarketplaceChain />;
  if (!first) {
    const home = NAV.find((item) => item.roles.includes(role));
    if (home) {
      location.replace(href(home.path));
      return null;
    }
  }
  return <p>{t('notFound')}</p>;
}
