/** Delivered beside the bundle as /config.json (the local stack writes it; in AWS the deploy step uploads it). */
export interface ConsoleConfig {
  apiUrl: string
  oidc: {
    authority: string
    clientId: string
    scope: string
    /** Claim holding the role (Cognito: the user's groups). */
    roleClaim: string
    /** Sign-out URL when the provider's discovery has no end_session_endpoint (Cognito's /logout). */
    signOutUrl?: string
  }
  /** The AWS console link of a Step Functions execution, when deployed. */
  region?: string
}

let loaded: ConsoleConfig | null = null

export async function loadConfig(): Promise<ConsoleConfig> {
  if (!loaded) {
    const response = await fetch('/config.json', { cache: 'no-store' })
    if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`)
    loaded = (await response.json()) as ConsoleConfig
    loaded.apiUrl = loaded.apiUrl.replace(/\/+$/, '')
  }
  return loaded
}

export function config(): ConsoleConfig {
  if (!loaded) throw new Error('config not loaded')
  return loaded
}
