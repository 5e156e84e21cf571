import { ConfigError } from '../core/base/errors';

export const ACTIONS = ['validate', 'preprocess_data', 'train', 'prepare_deploy', 'deploy_and_evaluate', 'share'] as const;
export type Action = (typeof ACTIONS)[number];

export interface CliArgs {
  configPath: string;
  actions: Action[];
  /** Raw `--a.b.c=VALUE` arguments, applied by the config loader (Qualia's order). */
  overrides: string[];
  /** `--app-url=…` for `share` (default: the local app). */
  appUrl?: string;
}

/** Splits argv into config, actions and overrides; every problem is reported at once. */
export function parseArgs(argv: string[]): CliArgs {
  const problems: string[] = [];
  const positional: string[] = [];
  const overrides: string[] = [];
  let appUrl: string | undefined;
  for (const arg of argv) {
    if (arg.startsWith('--app-url=')) appUrl = arg.slice('--app-url='.length);
    else if (arg.startsWith('--')) {
      const body = arg.slice(2);
      if (!body.includes('=')) problems.push(`override '${arg}' has no value; write it as --section.key=VALUE`);
      else overrides.push(arg);
    } else positional.push(arg);
  }
  const [configPath, ...actionWords] = positional;
  if (!configPath) problems.push('no configuration file given');
  if (configPath && !/\.toml$/i.test(configPath) && (ACTIONS as readonly string[]).includes(configPath)) {
    problems.push(`'${configPath}' is an action; the configuration file comes first: mote CONFIG.toml ${configPath}`);
  }
  if (actionWords.length === 0) problems.push(`no action given; choose from: ${ACTIONS.join(', ')}`);
  for (const word of actionWords) {
    if (!(ACTIONS as readonly string[]).includes(word)) problems.push(`unknown action '${word}'; choose from: ${ACTIONS.join(', ')}`);
  }
  if (problems.length) throw new ConfigError(problems.join('\n'));
  return { configPath, actions: actionWords as Action[], overrides, appUrl };
}
