/** The generator's options, as `schema.json` declares them (nx validates the command line against it). */
export interface ConnectorGeneratorSchema {
  name: string;
  displayName?: string;
  dataAreas?: boolean;
  auth?: 'token' | 'oauth-client-credentials' | 'oauth-password';
  kind?: 'hr' | 'payroll' | 'attendance';
}
