import './style.css';
import { ApiClient } from './api';
import { authorizationUrl, completeSignIn, currentSession, signOut, type Session } from './auth';
import { readClaims, type StaffClaims } from './claims';
import type { View, ViewContext } from './context';
import { h, replace } from './dom';
import { loadSettings, type ConsoleSettings } from './settings';
import { auditView } from './views/audit';
import { complianceView } from './views/compliance';
import { errorMessage } from './views/common';
import { exportsView } from './views/exports';
import { inboxView } from './views/inbox';
import { subjectsView } from './views/subjects';

/** The console's screens; the hash names the screen only, never a patient, a report or any other id. */
const ROUTES: { hash: string; label: string; render: (ctx: ViewContext, main: HTMLElement) => View }[] = [
  { hash: '#/alerts', label: 'Alerts', render: inboxView },
  { hash: '#/subjects', label: 'Subjects', render: subjectsView },
  { hash: '#/exports', label: 'Exports', render: exportsView },
  { hash: '#/compliance', label: 'Compliance', render: complianceView },
  { hash: '#/audit', label: 'Audit trail', render: auditView },
];

const app = document.getElementById('app') as HTMLElement;

async function boot(): Promise<void> {
  const started = performance.now();
  try {
    const settings = await loadSettings(location.href, (i, o) => fetch(i, o));
    // the registered redirect URI is the console's directory (…/ or …/console/), also when opened as index.html
    const redirectUri = location.origin + location.pathname.replace(/index\.html$/, '');
    let session = currentSession(sessionStorage);
    const completed = await completeSignIn(settings, location.href, sessionStorage, (i, o) => fetch(i, o));
    if (completed) {
      session = completed;
      // the code and state leave the address bar and the history at once
      history.replaceState(null, '', location.pathname + (location.hash || ROUTES[0].hash));
    }
    if (!session) {
      renderSignIn(settings, redirectUri);
    } else {
      renderShell(settings, session, redirectUri);
    }
  } catch (e) {
    replace(app, h('main', { id: 'main', class: 'signin' }, h('h1', {}, 'OpenEPRO staff console'),
      h('p', { class: 'error', role: 'alert' }, errorMessage(e)),
      h('button', { type: 'button', onclick: () => { signOut(sessionStorage); location.replace(location.pathname); } },
        'Start again')));
  } finally {
    app.removeAttribute('aria-busy');
    // since navigation start: what the browser tests report as time to first render
    document.documentElement.dataset.firstRenderMs = String(Math.round(performance.now()));
    document.documentElement.dataset.bootMs = String(Math.round(performance.now() - started));
  }
}

function renderSignIn(settings: ConsoleSettings, redirectUri: string): void {
  const button = h('button', { type: 'button', class: 'primary' }, 'Sign in');
  button.addEventListener('click', async () => {
    button.disabled = true;
    location.assign(await authorizationUrl(settings, redirectUri, sessionStorage));
  });
  replace(app, h('main', { id: 'main', class: 'signin' },
    h('h1', {}, 'OpenEPRO staff console'),
    h('p', {}, 'Research nurses and data managers: alerts, subjects, exports and the audit trail of your studies.'),
    button,
    h('p', { class: 'help' }, `Signs in with ${new URL(settings.authorizationEndpoint).host}.`)));
}

function renderShell(settings: ConsoleSettings, session: Session, redirectUri: string): void {
  let claims: StaffClaims;
  try {
    claims = readClaims(session.accessToken);
  } catch {
    signOut(sessionStorage);
    renderSignIn(settings, redirectUri);
    return;
  }
  const expired = () => { signOut(sessionStorage); renderSignIn(settings, redirectUri); };
  const api = new ApiClient(settings.apiUrl, () => currentSession(sessionStorage)?.accessToken ?? null, expired);
  let study = claims.studies[0] ?? '';
  let view: View | null = null;

  const main = h('main', { id: 'main', tabindex: '-1' });
  const nav = h('nav', { 'aria-label': 'Console' }, h('ul', {}, ...ROUTES.map((r) => h('li', {}, h('a', { href: r.hash }, r.label)))));
  const studySelect = h('select', { id: 'study' }, ...claims.studies.map((s) => h('option', { value: s }, s)));
  studySelect.addEventListener('change', () => { study = studySelect.value; show(); });
  const header = h('header', { class: 'top' },
    h('p', { class: 'brand' }, 'OpenEPRO'),
    claims.studies.length > 0
      ? h('div', { class: 'field study' }, h('label', { for: 'study' }, 'Study'), studySelect)
      : h('p', { class: 'error' }, 'Your sign-in names no study.'),
    h('p', { class: 'who' }, h('span', { class: 'visually-hidden' }, 'Signed in as '),
      claims.roles.join(', ') || 'staff'),
    h('button', { type: 'button', onclick: () => { signOut(sessionStorage); location.replace(location.pathname); } }, 'Sign out'));
  replace(app, header, nav, main);

  function show(): void {
    view?.stop();
    const route = ROUTES.find((r) => r.hash === location.hash) ?? ROUTES[0];
    for (const a of nav.querySelectorAll('a')) {
      if (a.getAttribute('href') === route.hash) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    document.title = `${route.label} — OpenEPRO`;
    if (!study) {
      replace(main, h('h1', {}, route.label), h('p', {}, 'No study to show.'));
      return;
    }
    const ctx: ViewContext = {
      api, claims, study,
      open(title, render) {
        view?.stop();
        const back = h('button', { type: 'button', class: 'back', onclick: () => show() }, `Back to ${route.label.toLowerCase()}`);
        const heading = h('h1', { tabindex: '-1' }, title);
        const body = h('div', { class: 'detail' });
        replace(main, back, heading, body);
        heading.focus();
        view = { stop: () => undefined };
        void render(body);
      },
    };
    view = route.render(ctx, main);
    (main.querySelector('h1') as HTMLElement | null)?.focus();
  }

  window.addEventListener('hashchange', show);
  if (!ROUTES.some((r) => r.hash === location.hash)) history.replaceState(null, '', location.pathname + ROUTES[0].hash);
  show();
}

void boot();
