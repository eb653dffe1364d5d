// The plugins the real-runtime tier builds, derived from the option schema: the shared option
// sets (default; several pipes and services with quotes, backslashes and non-ASCII text; a name
// with digits) plus one plugin for every build backend the schema offers.
import { OPTIONS } from '../../src/options/schema.js';
import { OPTION_SETS } from '../helpers/sets.js';

export interface TierCase {
  id: string;
  argv: string[];
  /** `add` commands run inside the plugin after creation (a plugin grown over time). */
  grow?: string[][];
  /** Delete the [tool.create-otai-plugin] record first: add must fall back to the metadata. */
  dropRecord?: boolean;
  /** Delete `asyncio_mode = "auto"` first (pytest-asyncio's strict mode): add must mark its async tests. */
  strictAsyncio?: boolean;
  /**
   * First give the factory this `_plugin_name` (the contract's override of the prefix), export it
   * from the package's __init__.py and point the entry point there: add must follow both.
   */
  pluginName?: string;
}

export function tierMatrix(): TierCase[] {
  const cases: TierCase[] = Object.entries(OPTION_SETS).map(([id, argv]) => ({ id, argv }));
  for (const backend of OPTIONS.buildBackend.choices) {
    cases.push({ id: `backend-${backend}`, argv: [`otai-backend-${backend}`, '--build-backend', backend, '--pipe', 'Echo,Shout', '--service', 'Store'] });
  }
  cases.push({ id: 'empty', argv: ['otai-empty', '--pipe', '', '--service', ''] });
  const grow = [['add', 'pipe', 'Echo'], ['add', 'pipe', 'shout,Http2Fetch'], ['add', 'service', 'Store']];
  cases.push({ id: 'grown', argv: ['otai-grown', '--pipe', '', '--service', ''], grow });
  cases.push({ id: 'grown-no-record', argv: ['otai-grown-bare', '--pipe', 'First'], grow, dropRecord: true });
  cases.push({ id: 'grown-own-prefix', argv: ['otai-grown-own', '--pipe', 'First', '--service', ''], grow: [['add', 'pipe', 'Echo'], ['add', 'service', 'Store']], pluginName: 'otai-grown-renamed' });
  cases.push({ id: 'grown-strict-asyncio', argv: ['otai-grown-strict', '--pipe', '', '--service', ''], grow: [['add', 'pipe', 'Echo']], strictAsyncio: true });
  return cases;
}
