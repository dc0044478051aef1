export type Role = 'SALES' | 'REGIONAL_MANAGER' | 'MAINTENANCE' | 'OPERATIONS' | 'ADMIN'

export const ROLES: Role[] = ['SALES', 'REGIONAL_MANAGER', 'MAINTENANCE', 'OPERATIONS', 'ADMIN']

/** The role from the ID token's role claim (Cognito groups): the first group that is a role. */
export function roleFromClaims(claims: Record<string, unknown>, roleClaim: string): Role | null {
  const value = claims[roleClaim]
  const groups = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[ ,]+/) : []
  return (groups.find((g) => ROLES.includes(g as Role)) as Role | undefined) ?? null
}

/** Which console sections a role sees: the API's module access (AccessPolicy), mirrored for navigation only. */
const SECTIONS: Record<Role, string[]> = {
  SALES: ['home', 'customers', 'contracts', 'inbox', 'tracking', 'service'],
  REGIONAL_MANAGER: ['home', 'customers', 'contracts', 'inbox', 'tracking', 'service', 'reports', 'departures', 'deleted'],
  MAINTENANCE: ['home', 'service', 'inbox'],
  OPERATIONS: ['home', 'inbox', 'inventory', 'tracking'],
  ADMIN: ['home', 'customers', 'contracts', 'inbox', 'tracking', 'service', 'reports', 'departures', 'deleted', 'inventory', 'directory'],
}

export function maySee(role: Role | null, section: string): boolean {
  return !!role && SECTIONS[role].includes(section)
}
