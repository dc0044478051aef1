import { ref } from 'vue'

/** The console's one message catalogue: zh-CN first, English as the switch. */
export type Locale = 'zh-CN' | 'en'

const saved = typeof localStorage !== 'undefined' ? (localStorage.getItem('rf.locale') as Locale | null) : null
export const locale = ref<Locale>(saved === 'en' ? 'en' : 'zh-CN')

export function setLocale(l: Locale) {
  locale.value = l
  localStorage.setItem('rf.locale', l)
  document.documentElement.lang = l
}

type Entry = [zh: string, en: string]

const M: Record<string, Entry> = {
  appName: ['RackFlow 机房客户管理', 'RackFlow CRM'],
  signIn: ['登录', 'Sign in'],
  signInHint: ['使用公司统一身份认证登录', 'Sign in with your company account'],
  signOut: ['退出登录', 'Sign out'],
  signingIn: ['正在登录…', 'Signing in…'],
  home: ['工作台', 'Dashboard'],
  customers: ['客户管理', 'Customers'],
  contracts: ['合同', 'Contracts'],
  inbox: ['待办事项', 'Work items'],
  tracking: ['上架流程跟踪', 'Racking tracking'],
  service: ['维护服务记录', 'Service records'],
  reports: ['报表', 'Reports'],
  departures: ['员工离职交接', 'Staff departures'],
  deleted: ['已删除记录', 'Deleted records'],
  inventory: ['资源管理', 'Inventory'],
  directory: ['员工与部门', 'Staff directory'],
  forbidden: ['无权访问', 'Access denied'],
  forbiddenHint: ['您的角色不能打开此页面。', 'Your role may not open this page.'],
  notFound: ['页面不存在', 'Page not found'],
  search: ['搜索', 'Search'],
  searchHint: ['公司名称、客户编号或电话', 'Company, code or phone'],
  status: ['状态', 'Status'],
  all: ['全部', 'All'],
  create: ['新建', 'Create'],
  newCustomer: ['新建客户', 'New customer'],
  edit: ['编辑', 'Edit'],
  save: ['保存', 'Save'],
  cancel: ['取消', 'Cancel'],
  submit: ['提交', 'Submit'],
  open: ['打开', 'Open'],
  more: ['加载更多', 'Load more'],
  noMore: ['没有更多了', 'No more'],
  table: ['列表', 'List'],
  board: ['看板', 'Board'],
  code: ['客户编号', 'Code'],
  companyName: ['公司名称', 'Company'],
  creditCode: ['统一社会信用代码', 'Credit code'],
  region: ['区域', 'Region'],
  source: ['客户来源', 'Source'],
  notes: ['备注', 'Notes'],
  owner: ['负责人', 'Owner'],
  contacts: ['联系人', 'Contacts'],
  contactName: ['姓名', 'Name'],
  phone: ['电话', 'Phone'],
  email: ['邮箱', 'E-mail'],
  serviceContact: ['维护联系人', 'Service contact'],
  addContact: ['添加联系人', 'Add contact'],
  updatedAt: ['更新时间', 'Updated'],
  createdAt: ['创建时间', 'Created'],
  changeStatus: ['变更状态', 'Change status'],
  reason: ['原因', 'Reason'],
  activities: ['跟进记录', 'Activities'],
  logCall: ['记录一次电话', 'Log a call'],
  summary: ['内容摘要', 'Summary'],
  outcome: ['结果', 'Outcome'],
  nextFollowUp: ['下次跟进日期', 'Next follow-up'],
  duration: ['时长（分钟）', 'Duration (min)'],
  history: ['变更历史', 'History'],
  newContract: ['新建合同', 'New contract'],
  serial: ['合同编号', 'Serial'],
  cabinets: ['机柜数', 'Cabinets'],
  uCount: ['U 数', 'U count'],
  powerKw: ['电力（kW）', 'Power (kW)'],
  bandwidth: ['带宽（Mbps）', 'Bandwidth (Mbps)'],
  ipCount: ['IP 数量', 'IP addresses'],
  monthlyFee: ['月费（元）', 'Monthly fee (CNY)'],
  startDate: ['开始日期', 'Start'],
  endDate: ['结束日期', 'End'],
  activate: ['生效', 'Activate'],
  startRacking: ['发起上架流程', 'Start racking'],
  plannedDate: ['计划上架日期', 'Planned date'],
  devices: ['设备', 'Devices'],
  model: ['型号', 'Model'],
  uHeight: ['高度（U）', 'Height (U)'],
  deviceSerial: ['序列号', 'Serial number'],
  followUpsToday: ['我的待跟进', 'My follow-ups'],
  dueToday: ['今日', 'Today'],
  dueOverdue: ['已逾期', 'Overdue'],
  dueWeek: ['七日内', 'This week'],
  noFollowUps: ['暂无待跟进客户', 'No follow-ups'],
  reminders: ['提醒', 'Reminders'],
  myWork: ['我的待办', 'My work items'],
  stage: ['环节', 'Stage'],
  dueAt: ['期限', 'Due'],
  escalated: ['已升级', 'Escalated'],
  approve: ['通过', 'Approve'],
  reject: ['驳回', 'Reject'],
  note: ['说明', 'Note'],
  rack: ['机柜', 'Rack'],
  site: ['数据中心', 'Site'],
  room: ['机房', 'Room'],
  uRange: ['U 位', 'U positions'],
  free: ['空闲', 'Free'],
  taken: ['已占用', 'Taken'],
  selected: ['已选', 'Selected'],
  prefix: ['IP 地址段', 'IP prefix'],
  ports: ['端口', 'Ports'],
  complete: ['完成', 'Complete'],
  accept: ['验收通过', 'Accept'],
  customer: ['客户', 'Customer'],
  title: ['标题', 'Title'],
  description: ['描述', 'Description'],
  type: ['类型', 'Type'],
  priority: ['优先级', 'Priority'],
  newServiceRecord: ['新建服务记录', 'New service record'],
  responseTime: ['响应时长', 'Response time'],
  resolutionTime: ['解决时长', 'Resolution time'],
  signedCustomerPicker: ['选择已签约客户', 'Pick a signed customer'],
  period: ['统计期间', 'Period'],
  downloadCsv: ['下载 CSV', 'Download CSV'],
  importCustomers: ['导入客户', 'Import customers'],
  exportAs: ['导出', 'Export'],
  exportCsv: ['导出 CSV', 'Export CSV'],
  exportXlsx: ['导出 Excel', 'Export Excel'],
  exportQueued: ['数据较多，正在后台生成导出文件，完成后自动下载', 'A large export is being written; it downloads when ready'],
  uploadFile: ['上传文件', 'Upload'],
  uploadHint: ['将 Excel（.xlsx）或 CSV 文件拖到此处，或点击选择（最大 10 MB）', 'Drop an Excel (.xlsx) or CSV file here, or click to choose (10 MB at most)'],
  importColumns: ['第一行为表头：公司名称、统一社会信用代码、联系人、电话、邮箱、区域、来源、备注（经理可加 负责人账号）', 'Header row: companyName, creditCode, contact, phone, email, region, source, notes (managers: ownerId)'],
  importFileType: ['只能导入 .xlsx 或 .csv 文件', 'Only .xlsx or .csv files can be imported'],
  importFileTooLarge: ['文件超过 10 MB', 'The file is larger than 10 MB'],
  uploadFailed: ['文件上传失败', 'The upload failed'],
  previewing: ['预检中', 'Checking'],
  previewResult: ['预检结果', 'Preview'],
  committing: ['导入中', 'Importing'],
  completed: ['已完成', 'Completed'],
  fileName: ['文件名', 'File'],
  rows: ['数据行', 'Rows'],
  emptyRows: ['空行', 'Empty rows'],
  rowsOk: ['可导入', 'OK'],
  rowsInvalid: ['有错误', 'Invalid'],
  rowsDuplicate: ['重复', 'Duplicates'],
  importCreated: ['已创建', 'Created'],
  importRefused: ['被拒绝', 'Refused'],
  commitImport: ['确认导入 {n} 行', 'Import {n} rows'],
  downloadResult: ['下载导入结果', 'Download the result'],
  importAnother: ['导入其他文件', 'Import another file'],
  onlyProblems: ['只看有问题的行', 'Only rows with problems'],
  rowNo: ['行号', 'Row'],
  verdict: ['预检', 'Check'],
  verdict_OK: ['可导入', 'OK'],
  verdict_INVALID: ['有错误', 'Invalid'],
  verdict_DUPLICATE: ['重复', 'Duplicate'],
  problem: ['问题', 'Problem'],
  duplicateOfCustomer: ['与已有客户 {code}（负责人 {owner}）重复', 'Duplicate of {code} (owner {owner})'],
  duplicateOfRow: ['与文件第 {row} 行重复', 'Duplicate of row {row} of the file'],
  deletedRecord: ['已删除', 'deleted'],
  defaultOwner: ['默认负责人', 'Default owner'],
  defaultOwnerHint: ['未填负责人账号的行归属此人（默认本人）', 'Owner of rows without ownerId (default: you)'],
  runJob: ['立即运行每日任务', 'Run the daily job'],
  runLog: ['运行记录', 'Run log'],
  departing: ['离职人员', 'Departing person'],
  receivers: ['接收人', 'Receivers'],
  split: ['分配方式', 'Split'],
  roundRobin: ['轮流分配', 'Round robin'],
  startDeparture: ['开始交接', 'Start hand-over'],
  retry: ['重试', 'Retry'],
  moved: ['已转移', 'Moved'],
  restore: ['恢复', 'Restore'],
  reassign: ['转交', 'Reassign'],
  users: ['员工', 'Staff'],
  departments: ['部门', 'Departments'],
  role: ['角色', 'Role'],
  department: ['部门', 'Department'],
  disable: ['停用', 'Disable'],
  newUser: ['新增员工', 'New staff member'],
  userId: ['用户名', 'User id'],
  displayName: ['姓名', 'Name'],
  versionConflict: ['该记录已被他人修改。是否重新加载最新内容？', 'Someone else changed this record. Reload it?'],
  reload: ['重新加载', 'Reload'],
  networkError: ['网络连接失败，请稍后重试（已保留您填写的内容）。', 'Network failure; try again (your input is kept).'],
  duplicateOf: ['已存在客户', 'Existing customer'],
  saved: ['已保存', 'Saved'],
  graph: ['流程图', 'Flow graph'],
  timeline: ['处理记录', 'Timeline'],
  openInAws: ['在 AWS 控制台查看执行', 'Open the execution in the AWS console'],
  currentStage: ['当前环节', 'Current stage'],
  legendDone: ['已完成', 'Done'],
  legendFailed: ['失败/回滚', 'Failed / compensated'],
  legendDashed: ['虚线：超时升级或失败处理', 'Dashed: escalation or failure handling'],
  allocated: ['已分配资源', 'Allocated resources'],
  language: ['English', '中文'],
  customerPage: ['客户详情', 'Customer'],
  minutes: ['分钟', 'min'],
  allowedMoves: ['可变更为', 'May move to'],
  pipeline: ['销售漏斗', 'Pipeline'],
  progress: ['进度', 'Progress'],
  elevation: ['机柜 U 位图', 'Rack elevation'],
  newSite: ['新建数据中心', 'New site'],
  newRoom: ['新建机房', 'New room'],
  newRack: ['新建机柜', 'New rack'],
  newPrefix: ['新建 IP 地址段', 'New IP prefix'],
  siteCode: ['数据中心编码', 'Site code'],
  siteName: ['数据中心名称', 'Site name'],
  city: ['城市', 'City'],
  address: ['地址', 'Address'],
  floor: ['楼层', 'Floor'],
  freeUnits: ['空闲 U 位', 'Free U positions'],
  freePower: ['可用电力 kW', 'Free power kW'],
  freeIps: ['可用 IP', 'Free IP addresses'],
  freePorts: ['空闲上联端口', 'Free uplink ports'],
  pickRack: ['点击左侧机柜查看 U 位', 'Pick a rack to see its U positions'],
  deleteCustomer: ['删除', 'Delete'],
  deleteConfirm: ['确定删除该客户？经理可在“已删除记录”中恢复。', 'Delete this customer? A manager can restore it under Deleted records.'],
  deletedBy: ['删除人', 'Deleted by'],
  deletedAt: ['删除时间', 'Deleted at'],
  changed: ['已修改', 'Changed'],
  disableConfirm: ['停用后 {name} 将无法登录。确定停用？', '{name} will no longer be able to sign in. Disable?'],
  nextFreeIps: ['将分配的 IP', 'Next free addresses'],
  prefixFull: ['该地址段已无可用地址', 'No free address left in this prefix'],
  prefixShort: ['可用地址不足', 'Not enough free addresses'],
}

export function t(key: string): string {
  const e = M[key]
  if (!e) return key
  return locale.value === 'en' ? e[1] : e[0]
}

/** Enum labels: zh-CN as the API's *Label fields, English for the switch. */
const ENUMS: Record<string, Record<string, Entry>> = {
  customerStatus: {
    ENTERED: ['完成录入', 'Entered'], CONTACTED: ['初步接触', 'Contacted'], NEGOTIATING: ['洽谈中', 'Negotiating'],
    SIGNED: ['签约', 'Signed'], IN_SERVICE: ['维护中', 'In service'], TERMINATED: ['解约', 'Terminated'], LOST: ['流失', 'Lost'],
  },
  source: {
    PHONE_INBOUND: ['来电咨询', 'Inbound call'], COLD_CALL: ['电话开发', 'Cold call'], REFERRAL: ['客户介绍', 'Referral'],
    WEBSITE: ['网站', 'Website'], EXHIBITION: ['展会', 'Exhibition'], PARTNER: ['合作伙伴', 'Partner'],
    EXISTING_CUSTOMER: ['老客户', 'Existing customer'], OTHER: ['其他', 'Other'],
  },
  activityType: {
    CALL: ['电话', 'Call'], VISIT: ['拜访', 'Visit'], MEETING: ['会议', 'Meeting'], WECHAT: ['微信', 'WeChat'],
    EMAIL: ['邮件', 'E-mail'], OTHER: ['其他', 'Other'],
  },
  contractStatus: {
    DRAFT: ['草稿', 'Draft'], ACTIVE: ['生效', 'Active'], TERMINATED: ['已解约', 'Terminated'], EXPIRED: ['已到期', 'Expired'],
    VOID: ['作废', 'Void'],
  },
  serviceType: {
    FAULT: ['故障处理', 'Fault'], REMOTE_HANDS: ['远程协助', 'Remote hands'], CHANGE: ['变更', 'Change'],
    INSPECTION: ['巡检', 'Inspection'], OTHER: ['其他', 'Other'],
  },
  region: { east: ['华东区', 'East China'], south: ['华南区', 'South China'] },
  priority: { P1: ['紧急', 'Urgent'], P2: ['高', 'High'], P3: ['中', 'Medium'], P4: ['低', 'Low'] },
  serviceStatus: {
    OPEN: ['待处理', 'Open'], IN_PROGRESS: ['处理中', 'In progress'], RESOLVED: ['已解决', 'Resolved'],
    CLOSED: ['已关闭', 'Closed'], CANCELLED: ['已取消', 'Cancelled'],
  },
  userStatus: { ACTIVE: ['在职', 'Active'], DEPARTED: ['离职', 'Departed'] },
  role: {
    SALES: ['业务员', 'Sales'], REGIONAL_MANAGER: ['区域市场经理', 'Regional manager'], MAINTENANCE: ['维护部门', 'Maintenance'],
    OPERATIONS: ['运营/技术', 'Operations'], ADMIN: ['系统管理员', 'Administrator'],
  },
  stage: {
    OPS_REVIEW: ['运维审核', 'Operations review'], RESOURCE_ALLOCATION: ['资源分配', 'Resource allocation'],
    PHYSICAL_RACKING: ['上架确认', 'Physical racking'], ACCEPTANCE: ['客户验收', 'Acceptance'],
    PUT_IN_SERVICE: ['投入运维', 'Put in service'], UNRACKING: ['下架安排', 'Unracking'], REMOVAL_CONFIRMATION: ['下架确认', 'Removal confirmation'],
  },
}

/**
 * A state of a flow's ASL definition said for people: the stage a Task waits for, the escalation of a stage and its
 * failure handler, the compensation and the ends; every state of racking.asl.json and termination.asl.json.
 */
const ASL_STATES: Record<string, Entry> = {
  OpsReview: ['运维审核', 'Operations review'], ResourceAllocation: ['资源分配', 'Resource allocation'],
  PhysicalRacking: ['上架确认', 'Physical racking'], Acceptance: ['客户验收', 'Acceptance'],
  PutInService: ['投入运维', 'Put in service'], Unracking: ['下架安排', 'Unracking'],
  RemovalConfirmation: ['下架确认', 'Removal confirmation'], Terminate: ['解约生效', 'Terminate'],
  Compensate: ['回滚（释放资源）', 'Compensate (release)'], Outcome: ['判断结果', 'Outcome'],
  Rejected: ['已驳回（结束）', 'Rejected (end)'], Failed: ['流程失败（结束）', 'Failed (end)'],
}
const ESCALATION: Entry = ['超时升级：', 'Escalate: ']
const ESCALATION_FAILED: Entry = ['升级失败：', 'Escalation failed: ']

/** The label of an ASL state; null when the catalogue has none (the caller shows the state's name). */
export function stateLabel(name: string): string | null {
  const en = locale.value === 'en'
  const e = ASL_STATES[name]
  if (e) return en ? e[1] : e[0]
  const m = /^Escalate(.+?)(Failed)?$/.exec(name)
  if (m && ASL_STATES[m[1]]) {
    const prefix = m[2] ? ESCALATION_FAILED : ESCALATION
    return (en ? prefix[1] : prefix[0]) + (en ? ASL_STATES[m[1]][1] : ASL_STATES[m[1]][0])
  }
  return null
}

export function label(kind: string, value: string | undefined | null, apiLabel?: string): string {
  if (!value) return ''
  const e = ENUMS[kind]?.[value]
  if (!e) return apiLabel ?? value
  return locale.value === 'en' ? e[1] : apiLabel ?? e[0]
}

export function options(kind: string): { value: string; label: string }[] {
  return Object.keys(ENUMS[kind] ?? {}).map((value) => ({ value, label: label(kind, value) }))
}

/** Validation rules of the API's violations, said in the user's language next to the field. */
const RULES: Record<string, Entry> = {
  required: ['必填', 'is required'],
  length: ['长度不符合要求', 'has the wrong length'],
  format: ['格式不正确', 'has the wrong format'],
  pattern: ['格式不正确', 'has the wrong format'],
  checksum: ['校验位不正确', 'fails its check digit'],
  phone: ['电话号码格式不正确', 'is not a phone number'],
  email: ['邮箱格式不正确', 'is not an e-mail address'],
  unknown: ['不允许的字段', 'is not a known field'],
  enum: ['取值不在允许范围内', 'is not one of the allowed values'],
  range: ['超出允许范围', 'is out of range'],
  min: ['过小', 'is too small'],
  max: ['过大', 'is too large'],
  duplicate: ['与已有客户重复（查重）', 'duplicates an existing customer'],
  cidr: ['须为 IPv4 网段（主机位为 0，长度 /16 至 /29），如 203.0.113.0/24', 'must be an IPv4 network such as 203.0.113.0/24'],
}

export function ruleText(rule: string, fallback: string): string {
  const e = RULES[rule]
  if (!e) return fallback
  return locale.value === 'en' ? `${e[1]} (${fallback})` : e[0]
}

/** History entries: what happened, and the fields people care about (bookkeeping fields are left out). */
const ACTIONS: Record<string, Entry> = {
  CREATED: ['创建', 'Created'], CHANGED: ['修改', 'Changed'], STATUS_CHANGED: ['状态变更', 'Status changed'],
  REASSIGNED: ['转交', 'Reassigned'], DELETED: ['删除', 'Deleted'], RESTORED: ['恢复', 'Restored'],
  DISABLED: ['停用', 'Disabled'], REACTIVATED: ['重新启用', 'Reactivated'], MANAGER_VACATED: ['经理离任（职位空缺）', 'Manager post vacated'], STARTED: ['发起', 'Started'],
  COMPLETED: ['完成', 'Completed'], REJECTED: ['驳回', 'Rejected'], FAILED: ['失败', 'Failed'], RETRIED: ['重试', 'Retried'],
  MOVED: ['已转移', 'Moved'], RESERVED: ['已预留', 'Reserved'], STAGE_OPENED: ['环节开始', 'Stage opened'],
  STAGE_COMPLETED: ['环节完成', 'Stage completed'], STAGE_ESCALATED: ['超时升级', 'Escalated'], STAGE_REJECTED: ['环节驳回', 'Stage rejected'],
}
const FIELDS: Record<string, Entry> = {
  companyName: ['公司名称', 'Company'], creditCode: ['统一社会信用代码', 'Credit code'], contacts: ['联系人', 'Contacts'],
  region: ['区域', 'Region'], source: ['来源', 'Source'], notes: ['备注', 'Notes'], status: ['状态', 'Status'],
  ownerId: ['负责人', 'Owner'], code: ['客户编号', 'Code'], serial: ['合同编号', 'Serial'], title: ['标题', 'Title'],
  description: ['描述', 'Description'], priority: ['优先级', 'Priority'], type: ['类型', 'Type'], summary: ['内容', 'Summary'],
  outcome: ['结果', 'Outcome'], monthlyFee: ['月费', 'Monthly fee'], startDate: ['开始日期', 'Start'], endDate: ['结束日期', 'End'],
  statusReason: ['原因', 'Reason'], resolution: ['解决方案', 'Resolution'], assigneeId: ['处理人', 'Assignee'],
  customerName: ['客户', 'Customer'], plannedDate: ['计划日期', 'Planned date'], devices: ['设备', 'Devices'],
  role: ['角色', 'Role'], departmentId: ['部门', 'Department'], displayName: ['姓名', 'Name'],
}
const BOOKKEEPING = /(^id$|Id$|At$|By$|^version$|DepartmentId$|^gsi|^pk$|^sk$)/

export function actionLabel(action: string): string {
  const e = ACTIONS[action]
  return e ? (locale.value === 'en' ? e[1] : e[0]) : action
}

/** The field's name for people, or null for bookkeeping fields a history view leaves out. */
export function fieldLabel(field: string): string | null {
  const e = FIELDS[field]
  if (e) return locale.value === 'en' ? e[1] : e[0]
  return BOOKKEEPING.test(field) ? null : field
}

/** A history value said in words where it is one of the closed sets (statuses, sources, types). */
export function valueLabel(field: string, value: string): string {
  const kinds: Record<string, string[]> = {
    status: ['customerStatus', 'contractStatus', 'serviceStatus'], source: ['source'], region: ['region'],
    type: ['activityType', 'serviceType'], priority: ['priority'], role: ['role'],
  }
  for (const kind of kinds[field] ?? []) {
    if (ENUMS[kind]?.[value]) return label(kind, value)
  }
  return value
}
