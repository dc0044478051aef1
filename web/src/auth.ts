import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts'
import { config } from './config'

/**
 * OpenID Connect authorization code + PKCE, the same code path against the local provider and Cognito's hosted UI.
 * Tokens live in session storage only; the URL never carries them after the callback.
 */
let manager: UserManager | null = null

export function userManager(): UserManager {
  if (!manager) {
    const c = config()
    manager = new UserManager({
      authority: c.oidc.authority,
      client_id: c.oidc.clientId,
      redirect_uri: `${location.origin}/callback`,
      post_logout_redirect_uri: `${location.origin}/signin`,
      response_type: 'code',
      scope: c.oidc.scope,
      userStore: new WebStorageStateStore({ store: sessionStorage }),
      stateStore: new WebStorageStateStore({ store: sessionStorage }),
      automaticSilentRenew: false,
      loadUserInfo: false,
    })
  }
  return manager
}

export async function currentUser(): Promise<User | null> {
  const user = await userManager().getUser()
  return user && !user.expired ? user : null
}

/** Sends the browser to the provider; after the callback the user lands on `returnTo`. */
export async function signIn(returnTo: string): Promise<void> {
  await userManager().signinRedirect({ state: { returnTo } })
}

export async function completeSignIn(): Promise<string> {
  const user = await userManager().signinRedirectCallback()
  const state = user.state as { returnTo?: string } | undefined
  return safeReturnTo(state?.returnTo)
}

/** Only paths of this console; never an absolute URL of another site. */
export function safeReturnTo(returnTo: string | undefined): string {
  if (!returnTo || !returnTo.startsWith('/') || returnTo.startsWith('//') || returnTo.startsWith('/callback')) return '/'
  return returnTo
}

export async function signOut(): Promise<void> {
  const m = userManager()
  await m.removeUser()
  await m.clearStaleState()
  const c = config()
  if (c.oidc.signOutUrl) {
    location.assign(c.oidc.signOutUrl)
    return
  }
  try {
    await m.signoutRedirect()
  } catch {
    location.assign('/signin')
  }
}
