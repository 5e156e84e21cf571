/** `[bench] name` of a parsed experiment, trimmed and capped; undefined when absent or not a string. */
export function benchName(parsed: unknown): string | undefined {
  const bench = (parsed as { bench?: { name?: unknown } } | null)?.bench;
  return typeof bench?.name === 'string' && bench.name.trim() ? bench.name.trim().slice(0, 120) : undefined;
}
