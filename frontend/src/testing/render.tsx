// Renders a page inside the app context with a real ApiClient over a fake fetch.

import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import { ApiClient } from '../api/client';
import type { AppConfig } from '../config';
import { AppContext } from '../context';
import type { FakeApi } from './fakeApi';

export function renderPage(ui: ReactElement, fake: FakeApi, token: string | null = fake.token) {
  const onUnauthorized = vi.fn();
  const api = new ApiClient({
    apiBase: '',
    getToken: () => token,
    onUnauthorized,
    fetchImpl: fake.fetch,
  });
  const config: AppConfig = { apiBase: '', auth: { mode: 'local' } };
  const result = render(<AppContext.Provider value={{ api, config }}>{ui}</AppContext.Provider>);
  return { ...result, api, onUnauthorized };
}
