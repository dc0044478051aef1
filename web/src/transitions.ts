/**
 * The customer pipeline's moves a person may offer (mirrors the API's CustomerTransitions table; the API decides,
 * and a refused move answers 409 with the moves it allows, which the page then shows).
 */
const STAFF: Record<string, string[]> = {
  ENTERED: ['CONTACTED', 'LOST'],
  CONTACTED: ['NEGOTIATING', 'LOST'],
  NEGOTIATING: ['SIGNED', 'LOST'],
}
const MANAGER: Record<string, string[]> = {
  LOST: ['ENTERED', 'CONTACTED', 'NEGOTIATING'],
}

export function customerTargets(status: string, manager: boolean): string[] {
  return [...(STAFF[status] ?? []), ...(manager ? MANAGER[status] ?? [] : [])]
}

/** Service records: OPEN → IN_PROGRESS → RESOLVED → CLOSED, with the reason each move needs. */
export const SERVICE_MOVES: Record<string, { to: string; needsReason: boolean }[]> = {
  OPEN: [{ to: 'IN_PROGRESS', needsReason: false }, { to: 'CANCELLED', needsReason: true }],
  IN_PROGRESS: [{ to: 'RESOLVED', needsReason: true }],
  RESOLVED: [{ to: 'CLOSED', needsReason: false }, { to: 'IN_PROGRESS', needsReason: true }],
}
