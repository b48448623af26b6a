// Test support: the shipped connectors for the hub's own `renkei worker --connectors <this file>`
// (whose lease and supervise times a test can shorten), their requests sent to the fakes process
// named by RENKEI_VENDOR_BASE_URLS, as `renkei serve` does with it.
import type { ConnectorDefinition } from '@renkei/core';
import { overridingFetch, parseVendorOverrides } from '../config/vendor-urls.ts';
import { CONNECTORS } from '../connectors.ts';

const parsed = parseVendorOverrides(process.env.RENKEI_VENDOR_BASE_URLS ?? '');
if (!parsed.ok) throw new Error(parsed.message);
const fetch = overridingFetch(parsed.overrides);

const overFakes: ConnectorDefinition[] = CONNECTORS.map((connector) => ({
  ...connector,
  connect: (credentials, context) => connector.connect(credentials, { ...context, fetch }),
}));
export default overFakes;
