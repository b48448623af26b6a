// Test support: the reference connector for `renkei worker --connectors <this file>`, pointed at a
// fake served over HTTP by the test (RENKEI_TEST_REFERENCE_URL).
import { createReferenceConnector } from '@renkei/testkit';

const baseUrl = process.env.RENKEI_TEST_REFERENCE_URL;
if (!baseUrl) throw new Error('RENKEI_TEST_REFERENCE_URL is not set');

export default createReferenceConnector({ baseUrl });
