export const USAGE = `Usage: mote CONFIG.toml ACTION... [--a.b.c=VALUE]...

Actions (run in the order given):
  validate             check the experiment and print every problem with its file:line:column
  preprocess_data      import the dataset and run [[preprocessing]], caching out/data/<dataset>/
  train                train every [[model]] for runs first_run..last_run, then [[postprocessing]]
  prepare_deploy       quantize and generate C for each deploy.quantize, build for deploy.target
  deploy_and_evaluate  run the firmware on the target and compare it with Mote's reference
  share                print a share link that opens this experiment in the Mote app

Overrides: --bench.name=Test, --model.0.epochs=5, --deploy.target='"Linux"' (VALUE is read as TOML,
otherwise as a plain string).
Exit codes: 0 ok, 1 a run failed, 2 the configuration is invalid.`;

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  console.error('mote: the pipeline is not wired yet');
  return 1;
}
