// What add did, as human text or as the --json object (the same keys as create's).
import type { Component, ComponentKind } from '../naming.js';
import { registryKey } from '../naming.js';
import type { RenderedFile } from '../render.js';
import { cdStep, displayPath, resultOf, type CreateResult } from '../report.js';
import type { PluginProject } from './project.js';

export const addResult = (project: PluginProject, components: readonly Component[], files: readonly RenderedFile[], dryRun: boolean): CreateResult =>
  resultOf(project.names, components.map((c) => registryKey(project.names, c.className)), project.directory, files.map((f) => f.path), dryRun);

export function addReport(result: CreateResult, kind: ComponentKind, created: readonly string[], cwd: string): string {
  const count = `${result.registryKeys.length} ${kind}${result.registryKeys.length > 1 ? 's' : ''}`;
  const title = result.dryRun ? `Dry run: would add ${count} to ${result.name} (nothing was written)` : `Added ${count} to ${result.name}`;
  const verb = (path: string) => (created.includes(path) ? (result.dryRun ? 'would create' : 'created') : (result.dryRun ? 'would change' : 'changed'));
  const where = displayPath(result.directory, cwd);
  return [
    title,
    '',
    ...result.registryKeys.map((k, i) => `  ${(i === 0 ? 'registry keys' : '').padEnd(16)}use: "${k}"`),
    '',
    `Files (${result.files.length}):`,
    ...result.files.map((f) => `  ${verb(f).padEnd(13)}${f}`),
    '',
    result.dryRun ? 'Run without --dry-run to write these files.' : 'Next steps:',
    ...(result.dryRun ? [] : [...cdStep(where), 'uv run -m pytest'].map((step) => `  ${step}`)),
    '',
  ].join('\n');
}
