import { describeLimit } from './limits.ts';
import { type PassResult, syncPasses } from './run.ts';
import { VENDORS } from './vendors.ts';

export interface SyncRow {
  vendor: string;
  displayName: string;
  limits: string;
  writeBatchSize: number;
  pass: PassResult['pass'];
  /** The connector as shipped (core's rate limiter). */
  renkei: PassResult;
  /** The naive sequential client. */
  baseline: PassResult;
  /** Employees per vendor-minute, Renkei ÷ baseline. */
  speedup: number;
}

/** Both passes against every vendor, the shipped client and the baseline each on a fresh fake. */
export async function syncBench(count: number, latencyMs: number): Promise<SyncRow[]> {
  const rows: SyncRow[] = [];
  for (const vendor of VENDORS) {
    const renkei = await syncPasses(vendor, { count, pacing: 'limiter', latencyMs });
    const baseline = await syncPasses(vendor, { count, pacing: 'naive', latencyMs });
    renkei.forEach((pass, index) => {
      const naive = baseline[index] as PassResult;
      rows.push({
        vendor: vendor.id,
        displayName: vendor.definition.displayName,
        limits: vendor.definition.limits.rateLimits.map(describeLimit).join(', '),
        writeBatchSize: vendor.definition.limits.writeBatchSize,
        pass: pass.pass,
        renkei: pass,
        baseline: naive,
        speedup: pass.employeesPerMinute / naive.employeesPerMinute,
      });
    });
  }
  return rows;
}
