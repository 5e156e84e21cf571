// Qualia's artefact names, so a Qualia user finds their files: `<name>_r<i>` for a run's weights, and
// `gen_tag` = `<name>_q<q>_o<o>_c<c>_r<i>` for a deploy build (qualia-reference §1.2).

export function runName(model: string, iteration: number): string {
  return `${model}_r${iteration}`;
}

export function deployTag(model: string, quantize: string, optimize: string, compress: number, iteration: number): string {
  return `${model}_q${quantize}_o${optimize}_c${compress}_r${iteration}`;
}

/** Qualia names generated-code folders `out/qualia_codegen/<name>_r<i>_q<float32|int16|int8>`. */
export function codegenDirName(model: string, iteration: number, quantize: string): string {
  return `${runName(model, iteration)}_q${quantize}`;
}
