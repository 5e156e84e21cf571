// The one runner of this tab, bound to the shared workbench.
import { Runner } from './runner.svelte';
import { workbench } from './workbench.svelte';

export const runner = new Runner(workbench);
