/**
 * Profiled run for profile.ts: builds the inputs, then profiles only plan() (a few runs) with the
 * inspector's sampling profiler and prints the profile as JSON.
 */
import { Session } from 'node:inspector/promises';
import { planInputs } from './inputs.ts';
import { SUBJECTS } from './subjects.ts';

const { source, target } = planInputs(Number(process.argv[2]));
SUBJECTS.plan(source, target);
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
for (let i = 0; i < 3; i++) SUBJECTS.plan(source, target);
const { profile } = await session.post('Profiler.stop');
session.disconnect();
process.stdout.write(JSON.stringify(profile));
