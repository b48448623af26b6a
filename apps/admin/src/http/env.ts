import type { ConnectorDefinition, Logger } from '@renkei/core';
import type { Hub, User } from '@renkei/hub';
import type { Lookups } from '../routes/lookups.ts';

export interface DemoLogin {
  label: string;
  email: string;
  password: string;
}

export interface AppDeps {
  hub: Hub;
  /** The connector definitions the hub was created with (their credential schemas are the forms). */
  connectors: readonly ConnectorDefinition[];
  /** Shown on the login page in demo mode. */
  demoLogins?: readonly DemoLogin[];
  /** Trust `X-Forwarded-Proto` (and `X-Forwarded-For` for sign-in throttling) from a reverse proxy. */
  trustProxy?: boolean;
  /** The largest CSV upload accepted, in bytes (default 20 MB). */
  maxImportBytes?: number;
  /** JSON request and error logs (`renkei serve`); without one, errors go to the console. */
  logger?: Logger;
  /** Whether this process should be working the queue (for /readyz; default true). */
  expectWorker?: boolean;
  /** Aborted once the process is shutting down: /readyz then answers 503 and live streams end. */
  shutdown?: AbortSignal;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    lookups: Lookups;
    user: User | undefined;
    sessionToken: string | undefined;
    csrfToken: string;
    requestId: string;
  };
}
