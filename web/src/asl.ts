/** A state machine graph from its Amazon States Language definition, laid out as the Step Functions console does. */
export interface AslState {
  Type: string
  Next?: string
  End?: boolean
  Default?: string
  Choices?: { Next: string }[]
  Catch?: { Next: string }[]
}
export interface Asl {
  StartAt: string
  States: Record<string, AslState>
}
/** A state at grid position (x column, y row); columns and rows are whole or half units, one node per cell. */
export interface GraphNode { name: string; type: string; x: number; y: number }
export interface GraphEdge { from: string; to: string; kind: 'next' | 'catch' }

function targets(s: AslState): string[] {
  return [s.Next, s.Default, ...(s.Choices ?? []).map((c) => c.Next)].filter((t): t is string => !!t)
}

/**
 * The happy path (StartAt along Next) in one column; beside each of its states, to the right, the states of its catch
 * branch that lead back to it (an escalation, then the escalation's own failure handler), one column each; every
 * other state (the compensation: Compensate → Outcome → its ends) to the left, from the last stages downwards, a
 * Choice's branches side by side below it. Every state gets its own cell, so no two boxes meet.
 */
export function layout(asl: Asl): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const main: string[] = []
  for (let s: string | undefined = asl.StartAt; s && asl.States[s] && !main.includes(s); s = asl.States[s]?.Next) main.push(s)
  const placed = new Map<string, GraphNode>()
  const put = (name: string, x: number, y: number) => placed.set(name, { name, type: asl.States[name].Type, x, y })
  main.forEach((name, i) => put(name, 0, i))

  // catch branches that come back to their stage: beside it, in the order they are reached
  main.forEach((stage, row) => {
    let column = 1
    const queue = (asl.States[stage].Catch ?? []).map((c) => c.Next)
    while (queue.length) {
      const name = queue.shift()!
      const state = asl.States[name]
      if (!state || placed.has(name) || !targets(state).includes(stage)) continue
      put(name, column++, row)
      queue.push(...(state.Catch ?? []).map((c) => c.Next))
    }
  })

  // the rest, level by level from what the placed states reach: to the left of the happy path
  let level = (Object.keys(asl.States).filter((n) => !placed.has(n) && [...placed.keys()].some((p) => {
    const s = asl.States[p]
    return targets(s).includes(n) || (s.Catch ?? []).some((c) => c.Next === n)
  })))
  let row = Math.max(0, main.length - 2)
  while (level.length) {
    level.forEach((name, i) => put(name, -1 - (level.length - 1) / 2 + i - (level.length > 1 ? 0.25 : 0), row))
    row++
    const next: string[] = []
    for (const name of level) {
      for (const t of targets(asl.States[name])) if (!placed.has(t) && !next.includes(t)) next.push(t)
    }
    level = next
  }
  // states nothing reaches (none in our definitions): below everything
  for (const name of Object.keys(asl.States)) if (!placed.has(name)) put(name, -1, row++)

  const edges: GraphEdge[] = []
  for (const [name, state] of Object.entries(asl.States)) {
    for (const to of targets(state)) edges.push({ from: name, to, kind: 'next' })
    for (const c of state.Catch ?? []) edges.push({ from: name, to: c.Next, kind: 'catch' })
  }
  return { nodes: Object.keys(asl.States).map((n) => placed.get(n)!), edges }
}

/** OpsReview → OPS_REVIEW: a Task state's name is the stage it waits for. */
export function stageOf(stateName: string): string {
  return stateName.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()
}

/** The stage an escalation state belongs to: EscalateOpsReview / EscalateOpsReviewFailed → OpsReview; else null. */
export function escalatedStage(stateName: string): { stage: string; failed: boolean } | null {
  const m = /^Escalate(.+?)(Failed)?$/.exec(stateName)
  return m ? { stage: m[1], failed: !!m[2] } : null
}

/** Boxes (centre x/y, width, height) that overlap: pairs of names; empty when every box stands free. */
export function overlaps(boxes: { name: string; x: number; y: number; w: number; h: number }[]): [string, string][] {
  const out: [string, string][] = []
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => {
    if (Math.abs(a.x - b.x) < (a.w + b.w) / 2 && Math.abs(a.y - b.y) < (a.h + b.h) / 2) out.push([a.name, b.name])
  }))
  return out
}
