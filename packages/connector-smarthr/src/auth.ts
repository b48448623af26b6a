import { type AuthHook, credential, secret } from '@renkei/core';
import { z } from 'zod';
import { type SmarthrEnvironment, TENANT } from './vendor.ts';

/** The 環境 choice of the 連携設定 form, and the host it selects. */
export const ENVIRONMENTS = { 本番: 'production', サンドボックス: 'sandbox' } as const satisfies Record<
  string,
  SmarthrEnvironment
>;

/** The 連携設定 form: the tenant's サブドメイン and an access token issued in SmartHR's 共通設定. */
export const Credentials = z.object({
  tenant: credential(
    z.string().trim().regex(TENANT, 'サブドメインは半角英数字とハイフン（63文字以内）で入力してください。'),
    {
      label: 'サブドメイン',
      help: 'SmartHRのURL（https://〇〇.smarthr.jp）の〇〇の部分です。',
    },
  ),
  environment: credential(z.enum(['本番', 'サンドボックス']).default('本番'), { label: '環境' }),
  apiToken: secret('アクセストークン', 'SmartHRの「共通設定 > API」で発行したアクセストークンです。'),
  webhookToken: credential(z.string().trim().max(200).optional(), {
    label: 'Webhookトークン（任意）',
    secret: true,
    help: 'SmartHRのWebhook設定で指定した検証用トークンです。入力すると、従業員の登録・更新のたびに取り込みます。',
  }),
});
export type Credentials = z.infer<typeof Credentials>;

/** Bearer authentication with the access token (nothing to renew). */
export function createAuth(credentials: Credentials): AuthHook {
  return {
    async headers() {
      return { authorization: `Bearer ${credentials.apiToken}` };
    },
    invalidate() {},
  };
}
