import type { GateCheck, GateVerdict } from '../src/gate/gate.js';
import { escapeXml as x, fmt, fmtDelta } from './format.js';
import type { Reporter } from './reporter.js';

function testcase(c: GateCheck, classname: string, problem: string | undefined): string {
  const attrs = `classname="${x(classname)}" name="${x(c.target)}" time="0"`;
  const summary = `baseline ${fmt(c.baseline, 'missing')}, candidate ${fmt(c.candidate, 'missing')}, delta ${fmtDelta(c.delta, 'n/a')}`;
  if (problem) return `    <testcase ${attrs}>\n      <error type="unusable-input" message="${x(problem)}">${x(summary)}</error>\n    </testcase>`;
  if (c.status === 'failed') return `    <testcase ${attrs}>\n      <failure type="max-${c.kind}-drop" message="${x(c.detail)}">${x(summary)}</failure>\n    </testcase>`;
  if (c.status === 'skipped') return `    <testcase ${attrs}>\n      <skipped message="${x(c.detail)}"/>\n    </testcase>`;
  return `    <testcase ${attrs}>\n      <system-out>${x(`${summary}; ${c.detail}`)}</system-out>\n    </testcase>`;
}

function suite(name: string, cases: Array<{ c: GateCheck; classname: string; problem?: string }>): string {
  const failures = cases.filter((k) => !k.problem && k.c.status === 'failed').length;
  const errors = cases.filter((k) => k.problem).length;
  const skipped = cases.filter((k) => !k.problem && k.c.status === 'skipped').length;
  return [
    `  <testsuite name="${x(name)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="0">`,
    ...cases.map((k) => testcase(k.c, k.classname, k.problem)),
    '  </testsuite>',
  ].join('\n');
}

/** The gate's one line for several missing tasks (each task has its own testcase). */
const isMissingSummary = (p: string) => /^\d+ task\(s\) missing \(/.test(p);

/** One testcase per task (classname = benchmark.category), plus one suite for category and average limits. */
export function gateJunit(v: GateVerdict): string {
  const cmp = v.comparison;
  const category = new Map(cmp.tasks.map((t) => [t.task, t.category]));
  // Missing tasks are one grouped problem in the verdict; in JUnit each is its own red testcase.
  const missingIsError = !v.rules.allowMissing;
  const problemFor = (c: GateCheck) =>
    v.problems.find((p) => p.startsWith(`${c.target}:`)) ??
    (missingIsError && c.status === 'skipped' ? `${c.target}: ${c.detail} (use --allow-missing to skip it)` : undefined);
  const bench = cmp.benchmark.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');
  const taskCases = v.checks.filter((c) => c.kind === 'task').map((c) => ({ c, classname: `${bench}.${category.get(c.target) ?? 'task'}`, problem: problemFor(c) }));
  // Problems that belong to no task (no common task, a dry-run input, ...) still make the run red in CI.
  const taskNames = new Set(v.checks.filter((c) => c.kind === 'task').map((c) => c.target));
  const global = v.problems.filter((p) => ![...taskNames].some((t) => p.startsWith(`${t}:`)) && !isMissingSummary(p));
  const inputCases = global.map((problem, i) => ({
    c: { kind: 'average', target: `inputs #${i + 1}`, baseline: null, candidate: null, delta: null, limit: 0, status: 'skipped', detail: problem } as unknown as GateCheck,
    classname: `${bench}.inputs`,
    problem,
  }));
  const aggCases = [...inputCases, ...v.checks.filter((c) => c.kind !== 'task').map((c) => ({ c, classname: `${bench}.${c.kind}` }))];
  const all = [...taskCases, ...aggCases];
  const failures = all.filter((k) => !('problem' in k && k.problem) && k.c.status === 'failed').length;
  const errors = all.filter((k) => 'problem' in k && k.problem).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${x(`mteb-ts gate: ${cmp.candidate.model} vs ${cmp.baseline.model}`)}" tests="${all.length}" failures="${failures}" errors="${errors}" time="0">`,
    suite(`${cmp.benchmark} tasks`, taskCases),
    suite(`${cmp.benchmark} averages`, aggCases),
    '</testsuites>',
    '',
  ].join('\n');
}

export const junitReporter: Reporter = { name: 'junit', extension: 'xml', gate: gateJunit };
