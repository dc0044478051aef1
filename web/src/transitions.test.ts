import { describe, expect, it } from 'vitest'
import { customerTargets, SERVICE_MOVES } from './transitions'
import { safeReturnTo } from './auth'
import { roleFromClaims, maySee } from './roles'

describe('customer moves offered', () => {
  it('offers staff the next pipeline step or LOST, never a flow-only move', () => {
    expect(customerTargets('NEGOTIATING', false)).toEqual(['SIGNED', 'LOST'])
    expect(customerTargets('SIGNED', false)).toEqual([])
    expect(customerTargets('LOST', false)).toEqual([])
  })
  it('lets a manager reopen a lost customer', () => {
    expect(customerTargets('LOST', true)).toEqual(['ENTERED', 'CONTACTED', 'NEGOTIATING'])
  })
  it('resolving a service record needs a reason', () => {
    expect(SERVICE_MOVES.IN_PROGRESS).toEqual([{ to: 'RESOLVED', needsReason: true }])
  })
})

describe('sign-in return path', () => {
  it('keeps paths of the console and refuses other sites', () => {
    expect(safeReturnTo('/customers/1?tab=history')).toBe('/customers/1?tab=history')
    expect(safeReturnTo('https://evil.example/')).toBe('/')
    expect(safeReturnTo('//evil.example/')).toBe('/')
    expect(safeReturnTo('/callback?code=x')).toBe('/')
    expect(safeReturnTo(undefined)).toBe('/')
  })
})

describe('role from the ID token', () => {
  it('reads Cognito groups and ignores groups that are not roles', () => {
    expect(roleFromClaims({ 'cognito:groups': ['staff', 'MAINTENANCE'] }, 'cognito:groups')).toBe('MAINTENANCE')
    expect(roleFromClaims({ roles: 'SALES' }, 'roles')).toBe('SALES')
    expect(roleFromClaims({}, 'cognito:groups')).toBeNull()
  })
  it('keeps the customer module out of maintenance navigation', () => {
    expect(maySee('MAINTENANCE', 'customers')).toBe(false)
    expect(maySee('MAINTENANCE', 'service')).toBe(true)
    expect(maySee('OPERATIONS', 'inventory')).toBe(true)
  })
})
