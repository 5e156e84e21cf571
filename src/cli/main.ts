import { formatDiagnostic, type Diagnostic } from '../core/config/load';
import { loadExperimentFile } from '../core/config/load-file.node';
import { encodeShareLink } from '../core/config/share';
import { ConfigError, MoteError } from '../core/base/errors';
import { installExitCleanup } from '../core/base/exit-cleanup.node';
import type { PipelineAction } from '../core/pipeline/engine';
import { parseArgs, type Action } from './args';
import { createProgressReporter } from './progress';

export const USAGE = `Usage: mote CONFIG.toml ACTION... [--a.b.c=VALUE]...

       mote flash TARGET [FILE] (--port=DEVICE | --drive=DIR) install an image (default: the Mote Runtime) on a physical board

Actions (run in the order given):
  validate             check the experiment and print every problem with its file:line:column
  preprocess_data      import the dataset and run [[preprocessing]], caching out/data/<dataset>/
  train                train every [[model]] for runs first_run..last_run, then [[postprocessing]]
  prepare_deploy       quantize and generate C (converter MoteRuntime: the model blob) for each deploy.quantize, build for deploy.target
  deploy_and_evaluate  run the firmware on the target and compare it with Mote's reference
  share                print a link that opens this experiment in the Mote app (--app-url=URL)

Overrides: --bench.name=Test, --model.0.epochs=5, --deploy.target=Linux or Qualia's
--deploy.target='"Linux"' (VALUE is read as TOML, otherwise as a plain string).
Results: logs/<bench.name>/results.json (see README.md).
Exit codes: 0 ok, 1 a run failed, 2 the configuration is invalid.`;

export const EXIT_OK = 0;
export const EXIT_RUN_FAILED = 1;
export const EXIT_INVALID_CONFIG = 2;
const DEFAULT_APP_URL = 'http://127.0.0.1:4173/';

/**
 * The `mote` process's signal handling (bin/mote.js installs it; main() itself leaves a host's signals
 * alone): a signal or an error must not leave an emulator, a compiler or a temporary folder behind.
 */
export function installCliExitCleanup(): void {
  installExitCleanup((signal, cleaned) => {
    console.error(`\nmote: stopped by ${signal}${cleaned ? `; stopped its boards and compilers and removed its temporary folders (${cleaned})` : ''}`);
  });
}

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'flash') return flashMain(argv.slice(1));
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    (argv.length === 0 ? console.error : console.log)(USAGE);
    return argv.length === 0 ? EXIT_INVALID_CONFIG : EXIT_OK;
  }
  let args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    console.error(`mote: ${(error as Error).message}\n\nRun 'mote --help' for usage.`);
    return EXIT_INVALID_CONFIG;
  }

  const loaded = loadExperimentFile(args.configPath, args.overrides);
  printDiagnostics(loaded.diagnostics);
  if (!loaded.experiment) {
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error').length;
    console.error(`mote: ${args.configPath} is not a valid experiment (${errors} error${errors === 1 ? '' : 's'})`);
    return EXIT_INVALID_CONFIG;
  }
  const experiment = loaded.experiment;

  // Consecutive pipeline actions run as one pipeline, so that they share the loaded data.
  const steps: (Action | PipelineAction[])[] = [];
  for (const action of args.actions) {
    const last = steps[steps.length - 1];
    if (action === 'validate' || action === 'share') steps.push(action);
    else if (Array.isArray(last)) last.push(action);
    else steps.push([action]);
  }
  for (const step of steps) {
    let action: string = Array.isArray(step) ? step[0] : step;
    try {
      if (step === 'validate') {
        const warnings = loaded.diagnostics.length;
        console.log(`${args.configPath}: valid${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}`);
      } else if (step === 'share') {
        const { readFileSync } = await import('node:fs');
        console.log(encodeShareLink(readFileSync(args.configPath, 'utf8'), args.appUrl ?? DEFAULT_APP_URL));
      } else if (Array.isArray(step)) {
        const { runCliPipeline } = await import('./run-pipeline');
        const progress = createProgressReporter();
        try {
          await runCliPipeline(experiment, step, {
            configPath: args.configPath, log: (line) => console.log(line), progress: progress.update,
            onAction: (started) => { progress.end(); action = started; },
          });
        } finally {
          progress.end();
        }
      }
    } catch (error) {
      if (error instanceof ConfigError) {
        console.error(`mote: ${action}: ${error.message}`);
        return EXIT_INVALID_CONFIG;
      }
      if (error instanceof MoteError) {
        console.error(`mote: ${action} failed: ${error.message}`);
        return EXIT_RUN_FAILED;
      }
      console.error(`mote: ${action} failed with an unexpected error (please report it):`);
      console.error(error);
      return EXIT_RUN_FAILED;
    }
  }
  return EXIT_OK;
}

function printDiagnostics(diagnostics: Diagnostic[]): void {
  for (const d of diagnostics) console.error(formatDiagnostic(d));
}

async function flashMain(argv: string[]): Promise<number> {
  const { runFlash, FLASH_USAGE } = await import('./flash');
  if (argv.length === 0 || argv.includes('--help')) { console.log(FLASH_USAGE); return argv.length ? EXIT_OK : EXIT_INVALID_CONFIG; }
  try {
    await runFlash(argv);
    return EXIT_OK;
  } catch (error) {
    console.error(`mote: flash: ${(error as Error).message}`);
    return error instanceof ConfigError ? EXIT_INVALID_CONFIG : EXIT_RUN_FAILED;
  }
}
