import { describe, expect, it } from 'vitest'
import racking from '../../statemachines/racking.asl.json'
import { layout, stageOf } from './asl'

describe('racking flow graph from its ASL definition', () => {
  const { nodes, edges } = layout(racking as any)
  it('puts the happy path in one column from StartAt to the end', () => {
    expect(nodes.filter((n) => n.x === 0).map((n) => n.name)).toEqual(
      ['OpsReview', 'ResourceAllocation', 'PhysicalRacking', 'Acceptance', 'PutInService'])
  })
  it('draws every state once and every Next and Catch as an edge', () => {
    expect(nodes).toHaveLength(Object.keys(racking.States).length)
    expect(edges).toContainEqual({ from: 'OpsReview', to: 'EscalateOpsReview', kind: 'catch' })
    expect(edges).toContainEqual({ from: 'EscalateOpsReview', to: 'OpsReview', kind: 'next' })
    expect(nodes.find((n) => n.name === 'EscalateOpsReview')).toMatchObject({ x: 1, y: 0 })
  })
  it('names stages as the API does', () => {
    expect(stageOf('ResourceAllocation')).toBe('RESOURCE_ALLOCATION')
    expect(stageOf('PutInService')).toBe('PUT_IN_SERVICE')
  })
})
