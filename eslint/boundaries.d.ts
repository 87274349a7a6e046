/** Returns why `from` may not import `to` (repository-relative paths), or null when allowed. */
export function violation(from: string, to: string): string | null;
declare const plugin: { rules: Record<string, unknown> };
export default plugin;
