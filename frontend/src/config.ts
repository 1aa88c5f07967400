// Runtime configuration, read from `config.json` next to the app so one build serves
// both worlds: `pam serve` writes `{"auth":{"mode":"local"}}`, the CDK deployment writes
// the Cognito Hosted UI settings. Validated here so a bad file fails loudly at start.

export type AuthConfig =
  | { mode: 'local' }
  | {
      mode: 'cognito';
      /** Hosted UI domain, with or without `https://`. */
      domain: string;
      clientId: string;
      redirectUri: string;
      /** `code` (PKCE, default) or `implicit` (id_token in the URL fragment). */
      flow?: 'code' | 'implicit';
    };

export interface AppConfig {
  /** Prefix for every API path; `""` means the same origin as the app. */
  apiBase: string;
  auth: AuthConfig;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(`config.json: ${message}`);
    this.name = 'ConfigError';
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function requireString(obj: Record<string, unknown>, key: string, where: string): string {
  const v = obj[key];
  if (typeof v !== 'string' || v.trim() === '') {
    throw new ConfigError(`${where}.${key} must be a non-empty string`);
  }
  return v;
}

/** Checks the shape of a parsed config.json and returns a typed value. */
export function parseConfig(raw: unknown): AppConfig {
  if (!isRecord(raw)) throw new ConfigError('expected a JSON object');
  const apiBase = raw.apiBase ?? '';
  if (typeof apiBase !== 'string') throw new ConfigError('apiBase must be a string');
  const auth = raw.auth ?? { mode: 'local' };
  if (!isRecord(auth)) throw new ConfigError('auth must be an object');
  const base = apiBase.replace(/\/+$/, '');
  if (auth.mode === 'local') return { apiBase: base, auth: { mode: 'local' } };
  if (auth.mode === 'cognito') {
    const flow = auth.flow ?? 'code';
    if (flow !== 'code' && flow !== 'implicit') {
      throw new ConfigError('auth.flow must be "code" or "implicit"');
    }
    return {
      apiBase: base,
      auth: {
        mode: 'cognito',
        domain: requireString(auth, 'domain', 'auth'),
        clientId: requireString(auth, 'clientId', 'auth'),
        redirectUri: requireString(auth, 'redirectUri', 'auth'),
        flow,
      },
    };
  }
  throw new ConfigError(`auth.mode must be "local" or "cognito", got ${JSON.stringify(auth.mode)}`);
}

/** Fetches and validates `config.json` relative to the page. */
export async function loadConfig(fetchImpl: typeof fetch = fetch): Promise<AppConfig> {
  const res = await fetchImpl('./config.json', { cache: 'no-store' });
  if (!res.ok) throw new ConfigError(`could not be loaded (HTTP ${res.status})`);
  let raw: unknown;
  try {
    raw = await res.json();
  } catch {
    throw new ConfigError('is not valid JSON');
  }
  return parseConfig(raw);
}
