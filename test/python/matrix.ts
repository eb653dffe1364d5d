// The plugins the real-runtime tier builds, derived from the option schema: the shared option
// sets (default; several pipes and services with quotes, backslashes and non-ASCII text; a name
// with digits) plus one plugin for every build backend the schema offers.
import { OPTIONS } from '../../src/options/schema.js';
import { OPTION_SETS } from '../helpers/sets.js';

export interface TierCase { id: string; argv: string[] }

export function tierMatrix(): TierCase[] {
  const cases: TierCase[] = Object.entries(OPTION_SETS).map(([id, argv]) => ({ id, argv }));
  for (const backend of OPTIONS.buildBackend.choices) {
    cases.push({ id: `backend-${backend}`, argv: [`otai-backend-${backend}`, '--build-backend', backend, '--pipe', 'Echo,Shout', '--service', 'Store'] });
  }
  return cases;
}
