import { BEIntegrationResult, listOf, schemas } from './api.ts';
import { PCA } from './vendor.ts';

/** What the connector needs of a record's outcome, whichever shape it came in. */
export interface WriteOutcome {
  ok: boolean;
  message: string | undefined;
}

const INTEGRATION_LIST = new RegExp(`^ArrayOfBE\\w*IntegrationResultOfBE${PCA.entities.employee}$`);

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

/**
 * The per-record outcomes of a write answer in either shape, or undefined when the body holds
 * neither: the modelled `ArrayOfBEResultOf{Entity}` (`Status`), or the 商魂 shape
 * `ArrayOfBE{Product}IntegrationResultOfBE{Entity}` (`InnerStatus`), bare or inside `BusinessValue`.
 */
export function writeOutcomes(body: unknown): WriteOutcome[] | undefined {
  const outer = record(body);
  if (!outer) return undefined;
  const value = record(outer[PCA.writeAnswers.businessValue]) ?? outer;
  const modelled = schemas.writeResults.safeParse(value);
  if (modelled.success) {
    return modelled.data.map((result) => ({
      ok: result.Status === PCA.recordStatus.success,
      message: result.ErrorMessage ?? undefined,
    }));
  }
  const key = Object.keys(value).find((candidate) => INTEGRATION_LIST.test(candidate));
  if (!key) return undefined;
  const entity = key.replace(/^ArrayOfBE/, '');
  const parsed = listOf(entity, BEIntegrationResult).safeParse({ [key]: value[key] });
  if (!parsed.success) return undefined;
  return parsed.data.map((result) => ({
    ok: result.InnerStatus === PCA.recordStatus.success,
    message: result.ErrorMessage ?? undefined,
  }));
}

/**
 * A fetch for write calls: a non-200 answer whose `BusinessValue` wraps per-record results is an
 * answer about each record (some failed), not a failure of the call, so it is handed on as a 200
 * carrying those results. Every other answer passes unchanged.
 */
export function perRecordAnswers(fetch: typeof globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (response.ok) return response;
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const wrapped = record(body)?.[PCA.writeAnswers.businessValue];
    const outcomes = wrapped === undefined ? undefined : writeOutcomes(wrapped);
    if (outcomes?.some((outcome) => !outcome.ok)) {
      return new Response(JSON.stringify(wrapped), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    }
    return new Response(text, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
