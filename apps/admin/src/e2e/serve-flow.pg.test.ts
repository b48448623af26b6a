import { describeServeFlow } from './serve-flow.ts';

describeServeFlow('postgres');
