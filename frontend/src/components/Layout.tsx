// Page frame: the header with navigation (current page marked for screen readers) and
// the sign-out button.

import type { ReactNode } from 'react';
import type { Route } from '../router';

interface Props {
  route: Route;
  onSignOut: () => void;
  showOutbox: boolean;
  children: ReactNode;
}

const SECTIONS: { page: Route['page']; label: string; also?: Route['page'][] }[] = [
  { page: 'upload', label: 'Upload', also: ['signin'] },
  { page: 'labels', label: 'Labels' },
  { page: 'jobs', label: 'Jobs', also: ['job'] },
  { page: 'outbox', label: 'Outbox' },
  { page: 'executions', label: 'Executions', also: ['execution'] },
];

export function Layout({ route, onSignOut, showOutbox, children }: Props) {
  return (
    <div className="shell">
      <header className="topbar">
        <a className="brand" href="#/upload" aria-label="PAM home">
          PAM
        </a>
        <nav aria-label="Main">
          <ul>
            {SECTIONS.filter((s) => showOutbox || s.page !== 'outbox').map((s) => {
              const current = route.page === s.page || (s.also ?? []).includes(route.page);
              return (
                <li key={s.page}>
                  <a href={`#/${s.page}`} aria-current={current ? 'page' : undefined}>
                    {s.label}
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
        <button type="button" className="link-button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}
