/**
 * `npm run conformance [-- --json]`: for each requirement ID, the states and transitions that
 * realise it and how many generated paths pass through it; then each machine's coverage. Exits
 * non-zero when a requirement other than INV-3 has no path, a machine is below 100 % of its states
 * or transitions, or a path produced other effects than required.
 */
import { Command } from 'commander';
import { runConformance } from '../test/model/conformance.ts';

const options = new Command()
  .name('conformance')
  .description('Model-based conformance of the cpm-cf machines to the CR')
  .option('--json', 'print one JSON object instead of the table')
  .parse()
  .opts<{ json?: boolean }>();

const report = runConformance();
const failures = report.runs.filter((r) => r.failure !== null);
const unmet = report.requirements.filter((r) => r.id !== 'INV-3' && r.paths === 0);
const incomplete = report.machines.filter((m) => m.statesCovered < m.states || m.transitionsCovered < m.transitions);

if (options.json) {
  const { runs: _runs, ...summary } = report;
  console.log(JSON.stringify({ ...summary, failures: failures.length }, null, 2));
} else {
  for (const r of report.requirements) {
    console.log(`${r.id.padEnd(7)} ${String(r.paths).padStart(5)} paths`);
    for (const s of r.states) console.log(`          state       ${s}`);
    for (const t of r.transitions) console.log(`          transition  ${t}`);
  }
  console.log('');
  for (const m of report.machines) {
    console.log(`${m.name.padEnd(10)} states ${m.statesCovered}/${m.states}  transitions ${m.transitionsCovered}/${m.transitions}`);
    for (const u of [...m.uncoveredStates, ...m.uncoveredTransitions]) console.log(`           uncovered: ${u}`);
  }
  console.log(`\n${report.paths} paths, ${failures.length} failing`);
  for (const f of failures.slice(0, 20)) console.log(`FAIL ${f.machine} [${f.label}] ${f.events.map((e) => e.type).join(' → ')}\n     ${f.failure}`);
}
if (failures.length > 0 || unmet.length > 0 || incomplete.length > 0) {
  if (unmet.length > 0) console.error(`no path through: ${unmet.map((r) => r.id).join(', ')}`);
  process.exitCode = 1;
}
