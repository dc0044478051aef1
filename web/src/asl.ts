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
export interface GraphNode { name: string; type: string; x: number; y: number }
export interface GraphEdge { from: string; to: string; kind: 'next' | 'catch' }

export function layout(asl: Asl): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const main: string[] = []
  for (let s: string | undefined = asl.StartAt; s && !main.includes(s); s = asl.States[s]?.Next) main.push(s)
  const nodes: GraphNode[] = main.map((name, i) => ({ name, type: asl.States[name].Type, x: 0, y: i }))
  let spare = 0
  for (const [name, state] of Object.entries(asl.States)) {
    if (main.includes(name)) continue
    const back = state.Next ? main.indexOf(state.Next) : -1
    // a state that leads back into the main path sits beside its target; the rest (e.g. compensation) on the far side
    nodes.push(back >= 0 ? { name, type: state.Type, x: 1, y: back } : { name, type: state.Type, x: 2, y: main.length - 2 + spare++ })
  }
  const edges: GraphEdge[] = []
  for (const [name, state] of Object.entries(asl.States)) {
    for (const to of [state.Next, state.Default, ...(state.Choices ?? []).map((c) => c.Next)]) {
      if (to) edges.push({ from: name, to, kind: 'next' })
    }
    for (const c of state.Catch ?? []) edges.push({ from: name, to: c.Next, kind: 'catch' })
  }
  return { nodes, edges }
}

/** OpsReview → OPS_REVIEW: a Task state's name is the stage it waits for. */
export function stageOf(stateName: string): string {
  return stateName.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()
}
