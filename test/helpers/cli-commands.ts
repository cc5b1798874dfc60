import { createProgram as createSundialProgram, processContext } from '@sundial/coordinator';
import { processCliIo } from '@sundial/shared';
import { coordinatorOptionsFromFlags, type CoordinatorFlags } from '../../packages/coordinator/src/cli/coordinator-flags';
import { createProgram as createWorkerProgram } from '../../packages/worker/src/cli/main';
import { workerTuningFromFlags, type WorkerFlags, type WorkerTuning } from '../../packages/worker/src/cli/worker-flags';
import type { CoordinatorOptions } from '../../packages/coordinator/src/coordinator-options';

/** A commander command, as the `sundial` program is built of them. */
type Command = ReturnType<typeof createSundialProgram>;

/** A command line as the real program parsed it, without running it. */
export interface ParsedCommand {
  /** The subcommands, e.g. `['coordinator']` or `['schedule', 'add']`; empty for `sundial-worker`. */
  readonly path: readonly string[];
  /** The options commander parsed. */
  readonly flags: Record<string, unknown>;
}

function captureActions(command: Command, path: readonly string[], sink: { parsed?: ParsedCommand }): void {
  for (const sub of command.commands) {
    const subPath = [...path, sub.name()];
    sub.action((...args: unknown[]) => {
      sink.parsed = { path: subPath, flags: (args[args.length - 1] as Command).opts() };
    });
    captureActions(sub, subPath, sink);
  }
}

/**
 * Parses `sundial` arguments (after the program name) with the real program, each command's
 * action replaced by a capture: unknown flags and missing values fail as they would at start.
 */
export async function parseSundialCommand(args: readonly string[]): Promise<ParsedCommand> {
  const program = createSundialProgram(processContext());
  const sink: { parsed?: ParsedCommand } = {};
  captureActions(program, [], sink);
  await program.parseAsync([...args], { from: 'user' });
  if (sink.parsed === undefined) throw new Error(`sundial ${args.join(' ')}: no command ran`);
  return sink.parsed;
}

/** The options `sundial coordinator ...` starts a coordinator with, through the real flag parsing. */
export async function coordinatorOptionsOf(args: readonly string[]): Promise<CoordinatorOptions> {
  const parsed = await parseSundialCommand(args);
  if (parsed.path.join(' ') !== 'coordinator') throw new Error(`sundial ${args.join(' ')}: not the coordinator command`);
  return coordinatorOptionsFromFlags(parsed.flags as CoordinatorFlags);
}

/** `sundial-worker` arguments parsed by the real program, and the worker options they give. */
export async function workerCommandOf(args: readonly string[]): Promise<{ flags: WorkerFlags; tuning: WorkerTuning }> {
  const program = createWorkerProgram(processCliIo());
  let flags: WorkerFlags | undefined;
  program.action((parsed: WorkerFlags) => {
    flags = parsed;
  });
  await program.parseAsync([...args], { from: 'user' });
  if (flags === undefined) throw new Error(`sundial-worker ${args.join(' ')}: not parsed`);
  return { flags, tuning: workerTuningFromFlags(flags) };
}
