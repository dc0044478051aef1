import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useSession } from './stores/session'

// Every page is its own chunk: the sign-in route loads only the shell.
const routes: RouteRecordRaw[] = [
  { path: '/signin', name: 'signin', component: () => import('./views/SignIn.vue'), meta: { public: true } },
  { path: '/callback', name: 'callback', component: () => import('./views/Callback.vue'), meta: { public: true } },
  { path: '/', name: 'home', component: () => import('./views/Home.vue'), meta: { section: 'home' } },
  { path: '/customers', name: 'customers', component: () => import('./views/CustomerList.vue'), meta: { section: 'customers' } },
  { path: '/customers/import', name: 'customer-import', component: () => import('./views/CustomerImport.vue'), meta: { section: 'customers' } },
  { path: '/customers/:id', name: 'customer', component: () => import('./views/CustomerDetail.vue'), meta: { section: 'customers' } },
  { path: '/contracts', name: 'contracts', component: () => import('./views/ContractList.vue'), meta: { section: 'contracts' } },
  { path: '/contracts/:id', name: 'contract', component: () => import('./views/ContractDetail.vue'), meta: { section: 'contracts' } },
  { path: '/inbox', name: 'inbox', component: () => import('./views/Inbox.vue'), meta: { section: 'inbox' } },
  { path: '/work-items/:id', name: 'work-item', component: () => import('./views/WorkItem.vue'), meta: { section: 'inbox' } },
  { path: '/tracking', name: 'tracking-search', component: () => import('./views/TrackingSearch.vue'), meta: { section: 'tracking' } },
  { path: '/tracking/:flowId', name: 'tracking', component: () => import('./views/FlowTracking.vue'), meta: { section: 'tracking' } },
  { path: '/service', name: 'service', component: () => import('./views/ServiceRecords.vue'), meta: { section: 'service' } },
  { path: '/service/:id', name: 'service-record', component: () => import('./views/ServiceRecordDetail.vue'), meta: { section: 'service' } },
  { path: '/reports', name: 'reports', component: () => import('./views/Reports.vue'), meta: { section: 'reports' } },
  { path: '/departures', name: 'departures', component: () => import('./views/Departures.vue'), meta: { section: 'departures' } },
  { path: '/deleted', name: 'deleted', component: () => import('./views/Deleted.vue'), meta: { section: 'deleted' } },
  { path: '/inventory', name: 'inventory', component: () => import('./views/Inventory.vue'), meta: { section: 'inventory' } },
  { path: '/directory', name: 'directory', component: () => import('./views/Directory.vue'), meta: { section: 'directory' } },
  { path: '/:rest(.*)*', name: 'not-found', component: () => import('./views/NotFound.vue'), meta: { section: 'home' } },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  const session = useSession()
  if (!(await session.refresh())) {
    return { name: 'signin', query: { returnTo: to.fullPath } }
  }
  return true
})
