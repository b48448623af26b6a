// The one way a secret token (session, set-up link, API token) is kept: only its sha256, hex.
import { createHash } from 'node:crypto';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
