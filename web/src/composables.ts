import { reactive, ref, type Ref } from 'vue'
import { ElMessageBox } from 'element-plus'
import { ApiError, get, request, type Page } from './api'
import { ruleText, t } from './i18n'
import { useSession } from './stores/session'

/** A list read page by page through the API's cursor; nothing loads a whole table. */
export function useCursorList<T>(path: () => string | null, query: () => Record<string, any> = () => ({}), limit = 20) {
  const items: Ref<T[]> = ref([])
  const nextCursor = ref<string | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)

  async function load(reset = true) {
    const p = path()
    if (!p) return
    loading.value = true
    error.value = null
    try {
      const page = await get<Page<T>>(p, { ...query(), limit, cursor: reset ? undefined : nextCursor.value })
      items.value = reset ? page.items : [...items.value, ...page.items]
      nextCursor.value = page.nextCursor ?? null
    } catch (e) {
      error.value = e instanceof ApiError ? e.shown : String(e)
    } finally {
      loading.value = false
    }
  }

  return { items, nextCursor, loading, error, load, more: () => load(false) }
}

/**
 * An API error shown where the user looks: each violation next to its field (el-form-item :error), the message
 * above the form, and a version conflict as an offer to reload. Input stays in the form.
 */
export function useFormErrors() {
  const fields = reactive<Record<string, string>>({})
  const message = ref<string | null>(null)
  const duplicate = ref<{ code?: string; ownerName?: string } | null>(null)

  function clear() {
    for (const k of Object.keys(fields)) delete fields[k]
    message.value = null
    duplicate.value = null
  }

  async function show(e: unknown, reload?: () => unknown) {
    clear()
    if (!(e instanceof ApiError)) {
      message.value = String(e)
      return
    }
    if (e.code === 'VERSION_CONFLICT' && reload) {
      message.value = e.shown
      try {
        await ElMessageBox.confirm(t('versionConflict'), e.shown, { confirmButtonText: t('reload'), cancelButtonText: t('cancel'), type: 'warning' })
        await reload()
        clear()
      } catch {
        /* stays with the user's input */
      }
      return
    }
    message.value = e.shown
    for (const v of e.violations) fields[v.field] = ruleText(v.rule, v.message)
    const d = e.details as Record<string, any>
    if (e.status === 409 && d.existingCode) {
      duplicate.value = { code: d.existingCode, ownerName: d.existingOwnerName }
      if (typeof d.field === 'string') fields[d.field] = e.shown
    }
  }

  return { fields, message, duplicate, clear, show }
}

export function fmtTime(iso?: string | null): string {
  if (!iso) return ''
  const d = new Date(iso)
  return d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })
}

export function minutesBetween(from?: string | null, to?: string | null): string {
  if (!from || !to) return '—'
  const m = Math.round((new Date(to).getTime() - new Date(from).getTime()) / 60000)
  return m < 60 ? `${m} ${t('minutes')}` : `${Math.floor(m / 60)} h ${m % 60} ${t('minutes')}`
}

/**
 * Saves what an API route answers as a file (CSV, Excel): the request carries the token, so a plain link cannot.
 * The name comes from the answer's Content-Disposition, else {@code fallback} with the type's extension.
 */
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export async function downloadFrom(path: string, query: Record<string, string | undefined>, fallback: string) {
  const response = await request('GET', path, { query, accept: query.format === 'csv' ? 'text/csv' : XLSX })
  const disposition = response.headers.get('Content-Disposition') ?? ''
  const named = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1] ?? /filename="?([^";]+)"?/i.exec(disposition)?.[1]
  const type = response.headers.get('Content-Type') ?? ''
  const extension = type.includes('spreadsheetml') ? '.xlsx' : type.includes('csv') ? '.csv' : ''
  const url = URL.createObjectURL(await response.blob())
  const a = document.createElement('a')
  a.href = url
  a.download = named ? decodeURIComponent(named) : fallback + extension
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 5000)
}

/** Lets the browser save a file from a (presigned) URL that needs no token. */
export function saveUrl(url: string) {
  const a = document.createElement('a')
  a.href = url
  a.rel = 'noopener'
  a.click()
}

/**
 * The active members of the signed-in manager's department who may own records (sales and managers): the choices of a
 * reassignment, and the names of owners on a page. Empty for everyone else (the API refuses them the directory).
 */
export function useColleagues() {
  const session = useSession()
  const colleagues = ref<any[]>([])
  const manager = ['REGIONAL_MANAGER', 'ADMIN'].includes(session.role ?? '')
  async function load() {
    if (!manager || !session.departmentId) return
    try {
      const page = await get(`/directory/departments/${session.departmentId}/users`, { limit: 100 })
      colleagues.value = page.items.filter((u: any) => u.status === 'ACTIVE' && ['SALES', 'REGIONAL_MANAGER'].includes(u.role))
    } catch {
      colleagues.value = []
    }
  }
  /** The owner's name where the page knows it (a colleague, the signed-in user), else the id. */
  function ownerName(userId: string): string {
    if (userId === session.userId) return session.name
    return colleagues.value.find((u) => u.userId === userId)?.displayName ?? userId
  }
  return { colleagues, manager, load, ownerName }
}

