import { defineStore } from 'pinia'
import { config } from '../config'
import { currentUser } from '../auth'
import { roleFromClaims, type Role } from '../roles'

export const useSession = defineStore('session', {
  state: () => ({
    userId: '' as string,
    name: '' as string,
    role: null as Role | null,
    departmentId: '' as string,
  }),
  getters: {
    signedIn: (s) => !!s.userId,
  },
  actions: {
    async refresh(): Promise<boolean> {
      const user = await currentUser()
      if (!user) {
        this.$reset()
        return false
      }
      const claims = user.profile as Record<string, unknown>
      this.userId = String(claims['cognito:username'] ?? claims.sub ?? '')
      this.name = String(claims.name ?? claims.email ?? this.userId)
      this.role = roleFromClaims(claims, config().oidc.roleClaim)
      this.departmentId = String(claims['custom:department'] ?? '')
      return true
    },
  },
})
