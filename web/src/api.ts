import { config } from './config'
import { currentUser, signIn } from './auth'
import { t } from './i18n'

export interface Violation {
  field: string
  rule: string
  message: string
}

/** The API's one error format: {"error":{status,code,message,messageZh,violations[],details{}}}. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly messageZh: string | undefined,
    readonly violations: Violation[] = [],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message)
  }

  get shown(): string {
    return this.messageZh ?? this.message
  }
}

export interface Page<T> {
  items: T[]
  nextCursor?: string | null
}

interface Options {
  query?: Record<string, string | number | boolean | undefined | null>
  body?: unknown
  version?: number
  idempotencyKey?: string
  /** The media type wanted: API Gateway answers binary (xlsx) only to a request that accepts it. */
  accept?: string
  raw?: boolean
}

export async function token(): Promise<string> {
  const user = await currentUser()
  if (!user) {
    await signIn(location.pathname + location.search)
    throw new ApiError(401, 'SIGN_IN', 'signing in again', '正在重新登录')
  }
  return user.access_token
}

export async function request(method: string, path: string, options: Options = {}): Promise<Response> {
  const url = new URL(config().apiUrl + path)
  for (const [k, v] of Object.entries(options.query ?? {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v))
  }
  const headers: Record<string, string> = { Authorization: `Bearer ${await token()}` }
  if (options.body !== undefined) headers['Content-Type'] = 'application/json'
  if (options.version !== undefined) headers['If-Match'] = `"${options.version}"`
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey
  if (options.accept) headers.Accept = options.accept
  let response: Response
  try {
    response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    })
  } catch {
    throw new ApiError(0, 'NETWORK', 'network failure', t('networkError'))
  }
  if (response.status === 401) {
    // An expired or revoked token: sign in again and come back here.
    await signIn(location.pathname + location.search)
    throw new ApiError(401, 'UNAUTHORIZED', 'signing in again', '登录已过期，正在重新登录')
  }
  if (!response.ok) {
    let body: { error?: Partial<ApiError> & { violations?: Violation[]; details?: Record<string, unknown> } } = {}
    try {
      body = await response.json()
    } catch {
      /* not JSON: keep the status */
    }
    const e = body.error ?? {}
    throw new ApiError(response.status, e.code ?? `HTTP_${response.status}`, e.message ?? response.statusText,
      e.messageZh, e.violations ?? [], e.details ?? {})
  }
  return response
}

export async function api<T = any>(method: string, path: string, options: Options = {}): Promise<T> {
  const response = await request(method, path, options)
  if (response.status === 204) return undefined as T
  return (await response.json()) as T
}

export const get = <T = any>(path: string, query?: Options['query']) => api<T>('GET', path, { query })

/** A fresh key per user action: a retry of the same action (e.g. after a network failure) reuses it. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID()
}
