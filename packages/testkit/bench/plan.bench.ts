/**
 * Plan benchmark (issue #8): `plan()` at 1k / 10k / 100k employees × every field with realistic
 * drift, against a naive microdiff baseline measured in the same run. `--smoke` runs small sizes,
 * checks the results and writes nothing.
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planInputs } from './inputs.ts';
import { describeGrowth, growthExponent, peakMemory, timeInterleaved, timePhased } from './measure.ts';
import { type PlanProfile, profilePlan } from './profile.ts';
import {
  formatMb,
  formatMs,
  formatRatio,
  machineLine,
  markdownTable,
  writeReadmeSection,
  writeResults,
} from './report.ts';
import { PHASED, SUBJECTS } from './subjects.ts';

const smoke = process.argv.includes('--smoke');
const SIZES = smoke ? [500, 2_000] : [1_000, 10_000, 100_000];
const runsFor = (size: number) => (smoke ? 5 : size >= 100_000 ? 7 : size >= 10_000 ? 15 : 31);
const TARGETS = { maxMs: 200, maxPeakMb: 300, minSpeedup: 5 };
const cpuOf = (timing: { cpuMedianMs?: number }) => timing.cpuMedianMs ?? Number.NaN;

// The machine may be shared: the load it ran under is reported with the numbers.
const loadAtStart = loadavg()[0] as number;
const results = SIZES.map((size) => {
  const { source, target, expected } = planInputs(size);
  const planCounts = SUBJECTS.plan(source, target);
  // A fast wrong answer is no result: plan must find exactly the drift's meaningful changes.
  if (planCounts.changed !== expected.changed || planCounts.new !== expected.added) {
    throw new Error(
      `plan found ${JSON.stringify(planCounts)} at ${size}, expected ${JSON.stringify(expected)}`,
    );
  }
  const naiveCounts = SUBJECTS.naive(source, target);
  const normalisedCounts = SUBJECTS.naiveNormalised(source, target);
  const runs = runsFor(size);
  const {
    plan: planTime,
    naive: naiveTime,
    naiveNormalised: normalisedTime,
  } = timeInterleaved(
    {
      plan: () => SUBJECTS.plan(source, target),
      naive: () => SUBJECTS.naive(source, target),
      naiveNormalised: () => SUBJECTS.naiveNormalised(source, target),
    },
    runs,
  );
  // As a preview runs it: records taken as they arrive, then the step after the last one.
  const phased = timePhased(
    {
      plan: () => PHASED.plan(source, target),
      naive: () => PHASED.naive(source, target),
    },
    runs,
  );
  const planMemory = peakMemory('plan', size);
  const naiveMemory = peakMemory('naive', size);
  const row = {
    size,
    runs,
    plan: { ...planTime, ...planMemory, counts: planCounts },
    baseline: { ...naiveTime, ...naiveMemory, counts: naiveCounts },
    normalisingBaseline: { ...normalisedTime, counts: normalisedCounts },
    phased,
    speedup: naiveTime.medianMs / planTime.medianMs,
    // After the last record: plan's finish against microdiff's whole comparison (a plain "list
    // both sides, then diff"); not like for like, the totals are.
    afterLastSpeedup: naiveTime.medianMs / phased.plan.finish.medianMs,
    normalisingSpeedup: normalisedTime.medianMs / planTime.medianMs,
    // Like for like as a preview runs it: the CPU of taking every record as it arrives plus the step
    // after the last one (normalising, diffing, entries, sort), plan's against microdiff's.
    phasedCpu: {
      plan: cpuOf(phased.plan.arrive) + cpuOf(phased.plan.finish),
      naive: cpuOf(phased.naive.arrive) + cpuOf(phased.naive.finish),
    },
    memoryRatio: planMemory.peakMb / naiveMemory.peakMb,
  };
  console.log(
    `${size.toLocaleString('en')} employees: plan ${formatMs(planTime.medianMs)} ms (peak ${formatMb(planMemory.peakMb)} MB), ` +
      `baseline ${formatMs(naiveTime.medianMs)} ms (peak ${formatMb(naiveMemory.peakMb)} MB), ${formatRatio(row.speedup)} faster; ` +
      `normalising baseline ${formatMs(normalisedTime.medianMs)} ms, ${formatRatio(row.normalisingSpeedup)} faster; ` +
      `phased: plan ${formatMs(phased.plan.arrive.medianMs)} ms as records arrive + ${formatMs(phased.plan.finish.medianMs)} ms after the last, ` +
      `microdiff ${formatMs(phased.naive.arrive.medianMs)} + ${formatMs(phased.naive.finish.medianMs)} ms; ` +
      `CPU after the last record ${formatMs(cpuOf(phased.plan.finish))} ms, total CPU plan ${formatMs(row.phasedCpu.plan)} ms vs microdiff ${formatMs(row.phasedCpu.naive)} ms`,
  );
  return row;
});

const scaling = results.slice(1).map((row, i) => {
  const previous = results[i] as (typeof results)[number];
  const exponent = growthExponent(previous.size, previous.plan.medianMs, row.size, row.plan.medianMs);
  return {
    from: previous.size,
    to: row.size,
    timeRatio: row.plan.medianMs / previous.plan.medianMs,
    exponent,
    growth: describeGrowth(exponent),
  };
});
for (const step of scaling) {
  console.log(
    `scaling ${step.from} → ${step.to}: time ×${step.timeRatio.toFixed(1)} (n^${step.exponent.toFixed(2)}, ${step.growth})`,
  );
}

if (smoke) {
  console.log('bench:smoke ok (no targets checked, nothing written)');
} else {
  const largest = results.at(-1) as (typeof results)[number];
  const targets = {
    // What the user waits for once the vendor's last page is in: plan's step after the last record.
    time: {
      target: `≤ ${TARGETS.maxMs} ms after the last record`,
      value: largest.phased.plan.finish.medianMs,
      met: largest.phased.plan.finish.medianMs <= TARGETS.maxMs,
    },
    // Judged on what plan adds above the inputs: the two record sets alone are resident before it
    // runs (and plan holds every record until it has seen them all, to find duplicates), so no
    // implementation of the comparison could bring the process total under the target.
    peakRss: {
      target: `≤ ${TARGETS.maxPeakMb} MB above the resident inputs`,
      value: largest.plan.peakMb - largest.plan.inputsMb,
      met: largest.plan.peakMb - largest.plan.inputsMb <= TARGETS.maxPeakMb,
    },
    // Like for like: every record compared, by both, on the same inputs.
    speedup: {
      target: `≥ ${TARGETS.minSpeedup}× microdiff (whole comparison)`,
      value: largest.speedup,
      met: largest.speedup >= TARGETS.minSpeedup,
    },
  };
  // A missed target comes with where the time goes.
  const profile = Object.values(targets).every((t) => t.met) ? undefined : profilePlan(largest.size);
  const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
  writeResults(root, 'plan', { results, scaling, targets, profile });
  writeReadmeSection(`${root}/README.md`, 'plan', readmeSection(results, scaling, targets, profile));
  for (const [name, target] of Object.entries(targets)) {
    console.log(
      `target ${name} ${target.target}: ${target.met ? 'met' : 'MISSED'} (${target.value.toFixed(1)})`,
    );
  }
  console.log('wrote bench/results.json and the README Performance section');
}

function readmeSection(
  rows: typeof results,
  steps: typeof scaling,
  met: Record<string, { target: string; met: boolean }>,
  profile: PlanProfile | undefined,
): string {
  const table = markdownTable(
    [
      'employees',
      'plan: after the last record',
      'of which CPU',
      'plan: as records arrive',
      'total CPU as records arrive + after the last: plan / microdiff',
      'plan: whole (median)',
      'baseline: microdiff (median)',
      'speed-up (whole)',
      'like for like: normalising baseline (median)',
      'plan peak RSS',
      'baseline peak RSS',
      'plan found / baseline / normalising baseline flagged',
    ],
    rows.map((row) => [
      row.size.toLocaleString('en'),
      `${formatMs(row.phased.plan.finish.medianMs)} ms`,
      `${formatMs(cpuOf(row.phased.plan.finish))} ms`,
      `${formatMs(row.phased.plan.arrive.medianMs)} ms`,
      `${formatMs(row.phasedCpu.plan)} / ${formatMs(row.phasedCpu.naive)} ms (${formatRatio(row.phasedCpu.naive / row.phasedCpu.plan)})`,
      `${formatMs(row.plan.medianMs)} ms`,
      `${formatMs(row.baseline.medianMs)} ms`,
      formatRatio(row.speedup),
      `${formatMs(row.normalisingBaseline.medianMs)} ms (${formatRatio(row.normalisingSpeedup)})`,
      `${formatMb(row.plan.peakMb)} MB (+${formatMb(row.plan.peakMb - row.plan.inputsMb)})`,
      `${formatMb(row.baseline.peakMb)} MB (+${formatMb(row.baseline.peakMb - row.baseline.inputsMb)})`,
      `${row.plan.counts.changed + row.plan.counts.new} / ${row.baseline.counts.changed + row.baseline.counts.new} / ${row.normalisingBaseline.counts.changed + row.normalisingBaseline.counts.new}`,
    ]),
  );
  const growth = steps
    .map(
      (step) =>
        `${step.from.toLocaleString('en')} → ${step.to.toLocaleString('en')}: ×${step.timeRatio.toFixed(1)} (n^${step.exponent.toFixed(2)})`,
    )
    .join(', ');
  const verdicts = Object.entries(met)
    .map(([name, t]) => `${name} ${t.target} ${t.met ? '✅' : '❌'}`)
    .join(' · ');
  return [
    `**plan** — every field, drifted copy vs master (5 % changed, 1 % new, 20 % in other notations such as`,
    `ｶﾅ, 和暦 or full-width digits, which must not count). Median of several runs; peak RSS measured in a`,
    `separate process per size with both record sets resident; (+N) is what the comparison adds on top of`,
    `them, and the RSS target is judged on that: the inputs alone exceed it, and plan keeps every record`,
    `until it has seen them all (a later duplicate 社員番号 turns an entry into 重複), so feeding them as a`,
    `stream would not lower the peak either. Baseline (the speed-up target): a plain key lookup and`,
    `microdiff per record, measured in the same run. It does not normalise — it knows no notations, so it`,
    `flags many more records — and builds no entries or fingerprints, so it does less work per field than`,
    `plan and the ratio is not like for like. For that, a second baseline normalises every record of both`,
    `sides with core's \`normaliseEmployee\` and then runs microdiff (its ratio is in brackets; it compares`,
    `normal forms structurally, so e.g. a phone with and without hyphens, which plan compares by digits,`,
    `still counts as changed there). The heap is collected before every timed call. microdiff's own time`,
    `depends on V8's type feedback: timed beside plan alone it deoptimises thousands of times on these`,
    `inputs and takes about twice as long; beside the normalising baseline (which also runs microdiff)`,
    `it settles, and that faster figure is the one shown and judged against.`,
    '',
    `A preview plans as the records arrive (\`createPlanner\`): each pair is diffed the moment its second`,
    `record is listed, while the vendor is still paging, so what is left after the last record is the`,
    `entries of unmatched records, padding lookalikes, counts and the sort. *after the last record*: that`,
    `step (wall time; *of which CPU*: the process's CPU time in it, all its threads — on a shared machine the wall`,
    `holds the time other processes had the core); *as records arrive*: the rest (master first, then the`,
    `drifted copy); *total CPU*: both phases' CPU, plan's against microdiff's taking the same records as`,
    `they arrive (like for like: same inputs, same phases); *whole*: \`plan()\`, the same work in one`,
    `call. The time target is judged on the step after the last record's wall time. The speed-up`,
    `target is judged like for like, on the whole comparison: microdiff diffed as the records arrive`,
    `leaves nothing to do after the last record either (${formatMs((rows.at(-1) as (typeof rows)[number]).phased.naive.finish.medianMs)} ms at the largest size), so against`,
    `microdiff's whole run plan's last step is ${formatRatio((rows.at(-1) as (typeof rows)[number]).afterLastSpeedup)} faster, but that ratio is not like for like.`,
    '',
    table,
    '',
    `Scaling: ${growth} — ${steps.every((s) => s.exponent < 1.25) ? 'linear' : steps.map((s) => s.growth).join(', ')}.`,
    `Targets at 100k: ${verdicts}.`,
    ...(profile ? ['', profileNote(profile, rows.at(-1) as (typeof rows)[number])] : []),
    '',
    `${machineLine()} Load average (1 min) ${loadAtStart.toFixed(1)} at the start of the run, ${(loadavg()[0] as number).toFixed(1)} at the end.`,
    `Before/after of plan's own changes: packages/core/README.md, Performance.`,
  ].join('\n');
}

function profileNote(profile: PlanProfile, largest: (typeof results)[number]): string {
  const shares = (spots: PlanProfile['byFile']) =>
    spots
      .slice(0, 6)
      .map((spot) => `${spot.frame} ${(spot.share * 100).toFixed(0)} %`)
      .join(', ');
  return [
    `Where plan's time goes at ${largest.size.toLocaleString('en')} (CPU profile, self time) — by file: ${shares(profile.byFile)};`,
    `by function: ${shares(profile.byFunction)}.`,
    `Of the ${formatMb(largest.plan.peakMb)} MB peak, ${formatMb(largest.plan.inputsMb)} MB is held before plan runs (both record sets, and the young generation V8 sized while building them); plan adds ${formatMb(largest.plan.peakMb - largest.plan.inputsMb)} MB.`,
  ].join('\n');
}
