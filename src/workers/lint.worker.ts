// Comlink entry point: checks an experiment's text off the main thread, so pasting or typing in a large
// experiment never waits for the parse and the schema check (a 400 KB text takes a few hundred ms).
import * as Comlink from 'comlink';
import { lintText } from '../ui/editor/lint-text';

const api = { lint: lintText };
export type LintWorkerApi = typeof api;
Comlink.expose(api);
