// The prepare_deploy stage of the app's Run: for every trained model × deploy.quantize × deploy.optimize,
// generate the C of the final (post-processed, quantized) model into Qualia's out/qualia_codegen/ folder of
// the run's artifacts. Mirrors prepareDeployAction of src/core/pipeline/deploy.node.ts (whose module also
// holds Node-only evaluation); once the pure part lives in its own module, this file should call it.
import type { Experiment } from '../../core/config/experiment';
import type { Issue } from '../../core/config/schema';
import type { CodegenReport, NumberFormat } from '../../core/codegen/types';
import { ConfigError, UnsupportedError } from '../../core/errors';
import type { BenchResults } from '../../core/pipeline/results';
import type { Workspace } from '../../core/pipeline/workspace';

const FORMATS: readonly NumberFormat[] = ['float32', 'int16', 'int8'];

export interface GeneratedModel {
  name: string;
  iteration: number;
  quantize: NumberFormat;
  optimize: string;
  dir: string;
  files: string[];
  report: CodegenReport;
}

function parseWith<T>(schema: { parse(v: unknown, p: string, i: Issue[]): T }, value: unknown, where: string): T {
  const issues: Issue[] = [];
  const parsed = schema.parse(value ?? {}, where, issues);
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length) throw new ConfigError(errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return parsed;
}

export async function prepareDeploy(experiment: Experiment, workspace: Workspace, results: BenchResults): Promise<GeneratedModel[]> {
  const deploy = experiment.deploy;
  if (!deploy) throw new ConfigError('this experiment has no [deploy] table; add target, converter.kind = "QualiaCodeGen" and quantize');
  if (deploy.converter.kind !== 'QualiaCodeGen') throw new UnsupportedError(`deploy.converter.kind '${deploy.converter.kind}' is not supported by Mote; supported: QualiaCodeGen`);
  const [{ qualiaCodeGen, codegenOptions }, { generateC }, { codegenModelFor }, { loadFinalModel }, { codegenDirName }, { prepareLinux }, { enabledModels, runIndices }, { putDeployResult }] = await Promise.all([
    import('../../core/codegen/qualia-codegen'),
    import('../../core/codegen/emit'),
    import('../../core/quantization/outcome'),
    import('../../core/pipeline/final-model'),
    import('../../core/pipeline/naming'),
    import('../../core/deploy/targets/linux'),
    import('../../core/pipeline/context'),
    import('../../core/pipeline/results'),
  ]);
  const converter = parseWith(qualiaCodeGen.params, deploy.converter.params, 'deploy.converter.params');
  const generated: GeneratedModel[] = [];
  for (const iteration of runIndices(experiment)) {
    for (const model of enabledModels(experiment)) {
      const record = results.runs.find((r) => r.iteration === iteration && (r.config_model ?? r.model) === model.name);
      if (!record) throw new ConfigError(`model '${model.name}' run ${iteration} has not been trained in this run`);
      const { graph, quantization } = await loadFinalModel(workspace, record.model, iteration);
      for (const quantize of deploy.quantize) {
        if (!(FORMATS as readonly string[]).includes(quantize)) throw new UnsupportedError(`deploy.quantize '${quantize}' is not supported by QualiaCodeGen; use one of ${FORMATS.join(', ')}`);
        const format = quantize as NumberFormat;
        for (const optimize of deploy.optimize) {
          const codegen = codegenModelFor(format, graph, quantization, record.model);
          const options = codegenOptions(converter, optimize);
          const dir = `${converter.outdir.replace(/\/+$/, '')}/${codegenDirName(record.model, iteration, format)}${optimize ? `_o${optimize}` : ''}`;
          let files: Record<string, string>;
          let report: CodegenReport;
          if (deploy.target === 'Linux') {
            if (optimize) throw new UnsupportedError(`deploy.optimize '${optimize}' targets Cortex-M DSP instructions and cannot run on the Linux host; use optimize = [''] with target Linux`);
            ({ files, report } = await prepareLinux(workspace, { model: codegen, name: record.model, iteration, codegen: options, outdir: converter.outdir, dir }));
          } else {
            ({ files, report } = generateC(codegen, { ...options, displayName: `${record.model}_r${iteration}_q${format}` }));
            for (const [file, text] of Object.entries(files)) await workspace.writeFile(`${dir}/${file}`, text);
          }
          putDeployResult(record, {
            target: deploy.target, quantize: format, optimize, n: null, accuracy: null, reference_accuracy: null, agreement: null,
            bit_exact: null, avg_latency_us: null, instructions_per_inference: null, macs: report.macs,
            // Static arena and const weights as generated; the linked sizes come with a firmware build.
            rom_bytes: null, ram_bytes: null,
          });
          generated.push({ name: record.model, iteration, quantize: format, optimize, dir, files: Object.keys(files), report });
        }
      }
    }
  }
  return generated;
}
