import { afterEach, describe, expect, it } from 'vitest'
import { actionLabel, fieldLabel, label, locale, ruleText, t } from './i18n'

afterEach(() => {
  locale.value = 'zh-CN'
})

describe('message catalogue', () => {
  it('speaks zh-CN first and prefers the API label there', () => {
    expect(t('customers')).toBe('客户管理')
    expect(label('customerStatus', 'SIGNED')).toBe('签约')
    expect(label('stage', 'PHYSICAL_RACKING', '上架确认')).toBe('上架确认')
    expect(label('customerStatus', 'NEW_STATUS', '新状态')).toBe('新状态')
  })
  it('switches every label to English', () => {
    locale.value = 'en'
    expect(t('customers')).toBe('Customers')
    expect(label('customerStatus', 'SIGNED', '签约')).toBe('Signed')
    expect(actionLabel('STATUS_CHANGED')).toBe('Status changed')
  })
  it('says a violated rule next to its field, falling back to the API text', () => {
    expect(ruleText('required', 'is required')).toBe('必填')
    expect(ruleText('someNewRule', 'must be odd')).toBe('must be odd')
  })
  it('leaves bookkeeping fields out of history', () => {
    expect(fieldLabel('companyName')).toBe('公司名称')
    expect(fieldLabel('createdAt')).toBeNull()
    expect(fieldLabel('customerId')).toBeNull()
    expect(fieldLabel('version')).toBeNull()
  })
})
