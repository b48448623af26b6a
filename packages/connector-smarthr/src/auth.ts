import { type AuthHook, secret } from '@renkei/core';
import { z } from 'zod';

/** The 連携設定 form: SmartHR issues a long-lived API token in its admin screen. */
export const Credentials = z.object({
  apiToken: secret('APIトークン', 'SmartHRの管理画面で発行したAPIトークンを入力してください。'),
});
export type Credentials = z.infer<typeof Credentials>;

/** Bearer authentication with the API token (nothing to renew). */
export function createAuth(credentials: Credentials): AuthHook {
  return {
    async headers() {
      return { authorization: `Bearer ${credentials.apiToken}` };
    },
    invalidate() {},
  };
}
