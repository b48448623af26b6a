import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

export interface Hotspot {
  /** `function (file:line)` or a file, relative to its package's src. */
  frame: string;
  /** Share of plan()'s samples spent there itself. */
  share: number;
}

export interface PlanProfile {
  byFunction: Hotspot[];
  byFile: Hotspot[];
}

const child = fileURLToPath(new URL('./profile-child.ts', import.meta.url));

/** Where plan() spends its time at `size`: self time per function, profiled in a fresh process. */
export function profilePlan(size: number, top = 8): PlanProfile {
  const output = execFileSync(process.execPath, [child, String(size)], {
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return hotspots(JSON.parse(output) as CpuProfile, top);
}

function hotspots(profile: CpuProfile, top: number): PlanProfile {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const id of node.children ?? []) parents.set(id, node.id);
  const fileOf = (id: number) => {
    const { functionName, url } = (nodes.get(id) as CpuProfile['nodes'][number]).callFrame;
    return url ? url.replace(/^.*\/packages\/[^/]+\/(src\/)?/, '') : functionName;
  };
  const label = (id: number) => {
    const { functionName, url, lineNumber } = (nodes.get(id) as CpuProfile['nodes'][number]).callFrame;
    return url ? `${functionName || '(anonymous)'} (${fileOf(id)}:${lineNumber + 1})` : functionName;
  };
  const inPlan = (id: number) => {
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const { functionName, url } = (nodes.get(at) as CpuProfile['nodes'][number]).callFrame;
      if (functionName === 'plan' && url.endsWith('/plan/plan.ts')) return true;
    }
    return false;
  };
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  // Samples inside core's plan(), and garbage collection (it has no stack; only plan runs then).
  profile.samples.forEach((id, i) => {
    if (nodes.get(id)?.callFrame.functionName !== '(garbage collector)' && !inPlan(id)) return;
    const delta = profile.timeDeltas[i] ?? 0;
    total += delta;
    byFunction.set(label(id), (byFunction.get(label(id)) ?? 0) + delta);
    byFile.set(fileOf(id), (byFile.get(fileOf(id)) ?? 0) + delta);
  });
  const ranked = (times: Map<string, number>) =>
    [...times]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([frame, time]) => ({ frame, share: time / total }));
  return { byFunction: ranked(byFunction), byFile: ranked(byFile) };
}
