// A small hash router. Hash routes need nothing from the server: `pam serve` and S3
// serve index.html for `/` only, and a reload of `#/jobs/42` still lands in the app.

import { useEffect, useState } from 'react';

export type Route =
  | { page: 'signin' }
  | { page: 'upload' }
  | { page: 'labels' }
  | { page: 'jobs' }
  | { page: 'job'; id: string }
  | { page: 'outbox' }
  | { page: 'executions' }
  | { page: 'execution'; arn: string }
  | { page: 'not-found'; path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const parts = path.split('/').filter(Boolean);
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  switch (parts[0]) {
    case undefined:
    case 'upload':
      return parts.length <= 1 ? { page: 'upload' } : { page: 'not-found', path };
    case 'signin':
      return { page: 'signin' };
    case 'labels':
      return { page: 'labels' };
    case 'jobs':
      return parts[1] ? { page: 'job', id: decode(parts[1]) } : { page: 'jobs' };
    case 'outbox':
      return { page: 'outbox' };
    case 'executions':
      return parts[1] ? { page: 'execution', arn: decode(parts[1]) } : { page: 'executions' };
    default:
      return { page: 'not-found', path };
  }
}

export function href(route: Route): string {
  switch (route.page) {
    case 'job':
      return `#/jobs/${encodeURIComponent(route.id)}`;
    case 'execution':
      return `#/executions/${encodeURIComponent(route.arn)}`;
    case 'not-found':
      return `#${route.path}`;
    default:
      return `#/${route.page}`;
  }
}

export function navigate(route: Route): void {
  const target = href(route);
  if (window.location.hash !== target) window.location.hash = target;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
