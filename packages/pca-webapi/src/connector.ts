import { type ConnectorDefinition, credential, defineConnector, secret } from '@renkei/core';
import { z } from 'zod';
import { type PcaProduct, pcaFields } from './product.ts';
import { openPcaSession } from './session.ts';
import { ADDRESS_CHOICES, FILL_ZERO_CHOICES } from './settings.ts';
import { PCA, PCA_LIMITS } from './vendor.ts';

const required = (label: string, help?: string) =>
  credential(z.string().trim().min(1, `${label}を入力してください。`), { label, ...(help ? { help } : {}) });

/**
 * The 連携設定 form of every PCA product: the four values of the 利用通知書, the app registered in
 * PCA's DevelopersConsole, the datacenter, and what PCA's API may not say (社員コードの桁数・０詰め).
 */
export const PcaCredentialsSchema = z.object({
  serviceId: required(
    'サービスID',
    'PCAから届く「利用通知書」に記載のサービスIDです。Web-APIは有償オプションのため、PCAまたは販売店にお申し込みください。',
  ),
  servicePassword: secret('サービスパスワード', '利用通知書に記載のサービスパスワードです。'),
  username: required('アプリユーザー名', 'Web-APIの利用を許可したPCAのユーザー'),
  password: secret('アプリパスワード'),
  clientId: required(
    'クライアントID',
    'PCAのDevelopersConsole（Googleアカウントと招待コードで登録）でアプリを登録すると発行されます。',
  ),
  clientSecret: secret('クライアントシークレット', 'DevelopersConsoleでアプリと一緒に発行されます。'),
  datacenter: credential(
    z
      .string()
      .trim()
      .toLowerCase()
      .regex(PCA.datacenterLabel, 'データセンターは半角英小文字と数字で入力してください（例: east02）。')
      .default('east02'),
    {
      label: 'データセンター',
      help: 'PCAクラウドのURL（https://〇〇.pcawebapi.jp）の〇〇の部分です（例: east02、west01）。',
    },
  ),
  codeLength: credential(
    z
      .string()
      .trim()
      .regex(/^(|[4-9]|1[0-3])$/, '社員コードの桁数は4〜13で入力してください。')
      .optional(),
    {
      label: '社員コードの桁数',
      help: 'PCAの会社基本情報の社員コード桁数（4〜13）。PCAのAPIから読み取れないときだけ使います。',
    },
  ),
  codeFillZero: credential(
    z.enum(Object.keys(FILL_ZERO_CHOICES) as [keyof typeof FILL_ZERO_CHOICES]).default('PCAの設定に従う'),
    {
      label: '社員コードの０詰め',
      help: 'PCAの会社基本情報の０詰め設定。PCAのAPIから読み取れないときだけ使います。',
    },
  ),
  address: credential(
    z.enum(Object.keys(ADDRESS_CHOICES) as [keyof typeof ADDRESS_CHOICES]).default('現住所'),
    {
      label: '連携する住所',
      help: 'PCAは住民票住所と現住所を別々に持ちます。通常は現住所、年末調整用に住民票住所を連携する場合は住民票住所を選んでください。',
    },
  ),
  newDepartment: credential(z.string().trim().max(20, '部門を一覧から選んでください。').optional(), {
    label: '新規登録時の部門',
    help: 'Renkeiが新しく登録する従業員のうち、社員名簿に部署がない従業員に設定するPCAの部門（任意。PCAの部門マスタから選びます）。',
  }),
  newEmployeeCategory: credential(
    z.string().trim().max(20, '社員区分を一覧から選んでください。').optional(),
    {
      label: '新規登録時の社員区分',
      help: '社員区分のあるPCA製品で、社員名簿に社員区分がない新しい従業員に設定する社員区分（任意）。',
    },
  ),
});
export type PcaCredentialsInput = z.infer<typeof PcaCredentialsSchema>;

/** A PCA payroll connector: everything but the product's own values is shared. */
export function definePcaConnector(
  product: PcaProduct,
  description?: string,
): ConnectorDefinition<typeof PcaCredentialsSchema> {
  return defineConnector({
    id: product.id,
    displayName: product.displayName,
    kind: 'payroll',
    ...(description ? { description } : {}),
    // 社員区分 only where the product has one: 給与 (cloud) offers no such setting.
    credentials: product.employeeCategories
      ? PcaCredentialsSchema
      : (PcaCredentialsSchema.omit({ newEmployeeCategory: true }) as unknown as typeof PcaCredentialsSchema),
    fields: pcaFields(product),
    limits: PCA_LIMITS,
    hasDataAreas: true,
    connect: async (credentials, context) => openPcaSession(product, credentials, context),
  });
}
