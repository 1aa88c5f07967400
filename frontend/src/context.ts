// What every page needs from the app shell: the API client and the runtime config.

import { createContext, useContext } from 'react';
import type { ApiClient } from './api/client';
import type { AppConfig } from './config';

export interface AppContextValue {
  api: ApiClient;
  config: AppConfig;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const v = useContext(AppContext);
  if (!v) throw new Error('useApp must be used inside <AppContext.Provider>');
  return v;
}
