/**
 * Where an OpenFeature run's CPU time goes, from a V8 `.cpuprofile`: every sample is put in
 * one bucket by what is on its stack (ours inclusive of what we call, then the OpenFeature
 * SDK, GC, the harness, the rest), and the top leaf functions of ours and of the SDK are
 * listed. See test/bench/README.md ("Profiling the OpenFeature path").
 *
 *   node --cpu-prof --cpu-prof-interval 100 --cpu-prof-dir=/tmp/of-prof --import tsx \
 *     test/bench/eval-bench.ts --sections=openfeature --only=of-switchyard
 *   pnpm exec tsx test/bench/openfeature/cpu-profile-summary.ts /tmp/of-prof/<largest>.cpuprofile
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const OURS = /packages\/(core|server-provider|sync)\/|lru-cache/;
const SDK = /@openfeature[/+](server-sdk|core)/;
const HARNESS = /test\/bench\//;

function shortName(frame: ProfileNode['callFrame']): string {
  const where = frame.url.replace(/.*\/(packages|node_modules)\//, '$1/');
  return `${frame.functionName || '(anonymous)'} ${where || '(native)'}${where ? `:${frame.lineNumber + 1}` : ''}`;
}

function summarise(profile: CpuProfile, top: number): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);

  const buckets = new Map<string, number>();
  const oursLeaves = new Map<string, number>();
  const sdkLeaves = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, us: number) =>
    map.set(key, (map.get(key) ?? 0) + us);
  let idle = 0;
  let total = 0;

  profile.samples.forEach((sampleId, i) => {
    const us = profile.timeDeltas[i + 1] ?? 0;
    total += us;
    const leaf = byId.get(sampleId)!;
    const stack: ProfileNode[] = [];
    for (let id: number | undefined = sampleId; id !== undefined; id = parent.get(id)) {
      stack.push(byId.get(id)!);
    }
    const name = leaf.callFrame.functionName;
    if (name === '(idle)') idle += us;
    else if (name === '(garbage collector)') add(buckets, 'garbage collector', us);
    else if (stack.some((f) => OURS.test(f.callFrame.url))) {
      add(buckets, 'ours: provider + sync + core + lru-cache (inclusive)', us);
      add(oursLeaves, shortName(leaf.callFrame), us);
    } else if (stack.some((f) => SDK.test(f.callFrame.url))) {
      add(buckets, 'OpenFeature SDK (with the builtins it calls)', us);
      add(sdkLeaves, shortName(leaf.callFrame), us);
    } else if (stack.some((f) => HARNESS.test(f.callFrame.url))) add(buckets, 'bench harness', us);
    else if (name === '(program)') add(buckets, '(program): V8 outside JS', us);
    else add(buckets, 'other (module loading, tsx, setup)', us);
  });

  const busy = total - idle;
  const share = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  return [
    `${(total / 1e3).toFixed(0)} ms sampled, ${(busy / 1e3).toFixed(0)} ms busy; shares of busy time:`,
    ...sorted(buckets).map(([k, us]) => `${share(us)}  ${k}`),
    '',
    `top SDK leaf functions:`,
    ...sorted(sdkLeaves)
      .slice(0, top)
      .map(([k, us]) => `${share(us)}  ${k}`),
    '',
    `top leaf functions under our code:`,
    ...sorted(oursLeaves)
      .slice(0, top)
      .map(([k, us]) => `${share(us)}  ${k}`),
  ];
}

const [file, top] = process.argv.slice(2);
if (file === undefined) {
  console.error(
    'usage: tsx test/bench/openfeature/cpu-profile-summary.ts <file.cpuprofile> [top=15]',
  );
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
console.log(summarise(profile, Number(top ?? 15)).join('\n'));
