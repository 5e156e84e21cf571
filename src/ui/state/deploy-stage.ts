// The prepare_deploy stage of the app's Run: for every trained model × deploy.quantize × deploy.optimize,
// generate the C of the final (post-processed, quantized) model into Qualia's out/qualia_codegen/ folder of
// the run's artifacts. Mirrors prepareDeployAction of src/core/pipeline/deploy.node.ts (whose module also
// holds Node-only evaluation); once the pure part lives in its own module, this file should call it.
import type { Experiment } from '../../core/config/experiment';
import type { Issue } from '../../core/config/schema';
import type { CodegenModel, CodegenOptions, CodegenReport, NumberFormat } from '../../core/codegen/types';
import type { DataBundle } from '../../core/data/bundle';
import type { EvaluationReport } from '../../core/evaluation/evaluator';
import type { RawVector } from '../../core/evaluation/protocol-v1';
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
  codegen: CodegenModel;
  options: CodegenOptions;
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
          generated.push({ name: record.model, iteration, quantize: format, optimize, dir, files: Object.keys(files), report, codegen, options });
        }
      }
    }
  }
  return generated;
}

export interface BoardEvaluation {
  model: GeneratedModel;
  report: EvaluationReport;
}

/**
 * deploy_and_evaluate on the Wasm virtual board: the generated C of every model is compiled to wasm32 in
 * a worker and evaluated on the first deploy.limit test vectors, each output compared with the TypeScript
 * reference. The experiment's own target (Linux, a board) is not used in the browser; the Wasm board runs
 * the same C, so its integers are those the target computes.
 */
export async function evaluateOnVirtualBoard(
  experiment: Experiment, workspace: Workspace, results: BenchResults, generated: GeneratedModel[], bundle: DataBundle,
  options: { signal: AbortSignal; onProgress(model: GeneratedModel, phase: 'build' | 'evaluate', done: number, total: number): void },
): Promise<BoardEvaluation[]> {
  if (experiment.data_augmentation.some((a) => (a.params as { evaluate?: boolean }).evaluate)) {
    throw new UnsupportedError('data augmentations with evaluate = true are not applied to the board test vectors in the app yet; use the mote CLI for this experiment');
  }
  const [{ quantizeInput, runIntReference }, { forwardFloat }, { sizeOf }, { evaluateOnWasmBoard }, { putDeployResult }, { deployTag }] = await Promise.all([
    import('../../core/quantization/reference-int'),
    import('../../core/models/reference-float'),
    import('../../core/models/shapes'),
    import('../../workers/board-client'),
    import('../../core/pipeline/results'),
    import('../../core/pipeline/naming'),
  ]);
  const test = bundle.test;
  const count = Math.min(test.count, experiment.deploy?.limit ?? test.count);
  const evaluations: BoardEvaluation[] = [];
  for (const model of generated) {
    const codegen = model.codegen;
    const graph = codegen.format === 'float32' ? codegen.graph : codegen.quantized.graph;
    const inputSize = sizeOf(graph.shapes[graph.layers[0].name]);
    const outputSize = sizeOf(graph.shapes[graph.layers[graph.layers.length - 1].name]);
    const vectors: RawVector[] = [];
    const reference = codegen.format === 'float32' ? new Float32Array(count * outputSize) : new Int32Array(count * outputSize);
    for (let i = 0; i < count; i++) {
      const x = Float32Array.from(test.x.subarray(i * inputSize, (i + 1) * inputSize));
      if (codegen.format === 'float32') {
        vectors.push(x);
        reference.set(forwardFloat(codegen.graph, { data: x, batch: 1 }).output, i * outputSize);
      } else {
        const raw = quantizeInput(codegen.quantized, x);
        vectors.push(codegen.format === 'int8' ? Int8Array.from(raw) : Int16Array.from(raw));
        reference.set(runIntReference(codegen.quantized, raw, { longWidth: model.options.longWidth }), i * outputSize);
      }
    }
    const modelFiles: Record<string, string> = {};
    for (const file of ['model.h', 'model.c', 'model_weights.h']) {
      if (await workspace.exists(`${model.dir}/${file}`)) modelFiles[file] = await workspace.readText(`${model.dir}/${file}`);
    }
    const outcome = await evaluateOnWasmBoard(
      { modelFiles, vectors, labels: test.labels.slice(0, count), reference, outputSize, expectedModelHash: model.report.hash },
      { signal: options.signal, onProgress: (phase, done, total) => options.onProgress(model, phase, done, total) },
    );
    const buildDir = `out/deploy/Wasm/${deployTag(model.name, model.quantize, model.optimize, 1, model.iteration)}`;
    await workspace.writeFile(`${buildDir}/firmware.wasm`, outcome.firmware);
    await workspace.writeFile(`${buildDir}/build.log`,
      `clang (wasm32) for the Wasm virtual board: ${model.dir}/ → firmware.wasm (${outcome.firmware.byteLength} bytes) in ${Math.round(outcome.buildMs)} ms\n${outcome.buildLog || '(no compiler messages)\n'}`);
    const report = outcome.report;
    const exactShare = report.rows.length ? report.rows.filter((r) => r.bitExact).length / report.rows.length : null;
    const record = results.runs.find((r) => r.model === model.name && r.iteration === model.iteration);
    if (record) {
      putDeployResult(record, {
        target: 'Wasm', quantize: model.quantize, optimize: model.optimize, n: report.n,
        accuracy: report.accuracy ?? null, reference_accuracy: report.reference_accuracy ?? null,
        agreement: model.quantize === 'float32' ? report.agreement : exactShare,
        bit_exact: model.quantize === 'float32' ? null : report.bit_exact,
        avg_latency_us: null, instructions_per_inference: report.instructions_per_inference ?? null,
        macs: model.report.macs, rom_bytes: null, ram_bytes: null,
      });
    }
    evaluations.push({ model, report });
  }
  return evaluations;
}
