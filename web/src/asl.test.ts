import { afterEach, describe, expect, it } from 'vitest'
import racking from '../../statemachines/racking.asl.json'
import termination from '../../statemachines/termination.asl.json'
import { escalatedStage, layout, overlaps, stageOf } from './asl'
import { locale, stateLabel } from './i18n'

afterEach(() => {
  locale.value = 'zh-CN'
})

const DEFINITIONS = { racking, termination } as Record<string, any>

describe('flow graphs from their ASL definitions', () => {
  it('puts the racking happy path in one column from StartAt to the end', () => {
    const { nodes } = layout(racking as any)
    expect(nodes.filter((n) => n.x === 0).map((n) => n.name)).toEqual(
      ['OpsReview', 'ResourceAllocation', 'PhysicalRacking', 'Acceptance', 'PutInService'])
  })
  for (const [name, asl] of Object.entries(DEFINITIONS)) {
    it(`${name}: draws every state once, in a cell of its own, every Next and Catch as an edge`, () => {
      const { nodes, edges } = layout(asl)
      expect(nodes.map((n) => n.name).sort()).toEqual(Object.keys(asl.States).sort())
      // boxes as the graph draws them (150 × 40 on a 190 × 130 grid) never meet
      expect(overlaps(nodes.map((n) => ({ name: n.name, x: n.x * 190, y: n.y * 130, w: 150, h: 40 })))).toEqual([])
      for (const [from, s] of Object.entries<any>(asl.States)) {
        if (s.Next) expect(edges).toContainEqual({ from, to: s.Next, kind: 'next' })
        for (const c of s.Catch ?? []) expect(edges).toContainEqual({ from, to: c.Next, kind: 'catch' })
      }
    })
    it(`${name}: an escalation and its failure handler sit beside their stage, one column each`, () => {
      const { nodes } = layout(asl)
      const at = (n: string) => nodes.find((x) => x.name === n)!
      for (const n of Object.keys(asl.States)) {
        const esc = escalatedStage(n)
        if (!esc) continue
        expect(at(n).y).toBe(at(esc.stage).y)
        expect(at(n).x).toBe(esc.failed ? 2 : 1)
      }
    })
    it(`${name}: every state has a zh-CN label and an English one`, () => {
      for (const n of Object.keys(asl.States)) {
        const zh = stateLabel(n)
        expect(zh, n).toMatch(/[\u4e00-\u9fff]/)
      }
      locale.value = 'en'
      for (const n of Object.keys(asl.States)) expect(stateLabel(n), n).toMatch(/^[ -~]+$/)
    })
  }
  it('labels escalations after their stage and the ends in words', () => {
    expect(stateLabel('EscalateResourceAllocation')).toBe('超时升级：资源分配')
    expect(stateLabel('EscalateResourceAllocationFailed')).toBe('升级失败：资源分配')
    expect(stateLabel('Failed')).toBe('流程失败（结束）')
    locale.value = 'en'
    expect(stateLabel('EscalateUnrackingFailed')).toBe('Escalation failed: Unracking')
  })
  it('names stages as the API does', () => {
    expect(stageOf('ResourceAllocation')).toBe('RESOURCE_ALLOCATION')
    expect(stageOf('PutInService')).toBe('PUT_IN_SERVICE')
    expect(escalatedStage('EscalateOpsReviewFailed')).toEqual({ stage: 'OpsReview', failed: true })
    expect(escalatedStage('OpsReview')).toBeNull()
  })
  it('finds overlapping boxes', () => {
    expect(overlaps([{ name: 'a', x: 0, y: 0, w: 160, h: 44 }, { name: 'b', x: 100, y: 20, w: 160, h: 44 }])).toEqual([['a', 'b']])
  })
})
