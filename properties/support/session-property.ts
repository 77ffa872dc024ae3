/**
 * One session property: a scenario, a scheduler and a list of world commands are generated; the
 * commands run through `fc.scheduledModelRun`, so the network's deliveries interleave with them
 * as the scheduler chooses; then the world settles the run and the invariant reads its story.
 * On failure fast-check prints the seed, the path and the shrunk commands with the scheduler's
 * order of deliveries.
 */
import fc from 'fast-check';
import type { CfFactory } from './cf-under-test.ts';
import { worldCommand } from './commands.ts';
import { machineExecutor } from './machine-executor.ts';
import { commandsReplayPath, DEFAULT_RUNS, runParameters } from './runs.ts';
import { settle, type Settled } from './settle.ts';
import type { WorldAction } from './world-actions.ts';
import { World, type Scenario } from './world.ts';

export interface FinishedRun {
  scenario: Scenario;
  world: World;
  settled: Settled;
}

/** Enough moves for several members to ring, answer, connect, read and leave around the originator's. */
const MAX_COMMANDS = 100;

export interface PropertyOptions {
  /** The CF under test; the machines alone by default. */
  executor?: CfFactory;
  /** The property's CI number of runs, scaled by `--runs` (`runs.ts`). */
  runs?: number;
}

export async function assertSessionProperty(
  scenarios: fc.Arbitrary<Scenario>,
  invariant: (run: FinishedRun) => void,
  { executor = machineExecutor, runs = DEFAULT_RUNS }: PropertyOptions = {},
): Promise<void> {
  const property = fc.asyncProperty(
    scenarios,
    fc.scheduler(),
    fc.commands([worldCommand], { maxCommands: MAX_COMMANDS, size: 'max', replayPath: commandsReplayPath() }),
    async (scenario, scheduler, commands) => {
      const world = new World(scenario, executor, (label, arrive) => {
        scheduler.scheduleSequence([{ label, builder: arrive }]);
      });
      try {
        await world.begin();
        await fc.scheduledModelRun(scheduler, () => ({ model: world, real: world.cf }), commands);
        invariant({ scenario, world, settled: await settle(world) });
      } finally {
        await world.cf.close?.();
      }
    },
  );
  await fc.assert(property, runParameters(runs));
}

/** One fixed story, each action arriving as soon as it is sent, then settled: for pinned cases. */
export async function runStory(scenario: Scenario, actions: readonly WorldAction[], executor: CfFactory = machineExecutor): Promise<FinishedRun> {
  const world = new World(scenario, executor, (_label, arrive) => void arrive());
  await world.begin();
  for (const action of actions) await world.perform(action);
  return { scenario, world, settled: await settle(world) };
}
