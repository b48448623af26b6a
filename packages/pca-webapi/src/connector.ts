import { type ConnectorDefinition, credential, defineConnector, secret } from '@renkei/core';
import { z } from 'zod';
import { type PcaProduct, pcaFields } from './product.ts';
import { openPcaSession } from './session.ts';
import { PCA, PCA_LIMITS } from './vendor.ts';

const required = (label: string, help?: string) =>
  credential(z.string().trim().min(1, `${label}を入力してください。`), { label, ...(help ? { help } : {}) });

/** The 連携設定 form of every PCA product: the four values PCA's setup asks for, plus the app's. */
export const PcaCredentialsSchema = z.object({
  serviceId: required('サービスID', 'PCAクラウドのサービスID（契約ごとに発行されます）'),
  servicePassword: secret('サービスパスワード'),
  username: required('アプリユーザー名', 'Web-APIの利用を許可したPCAのユーザー'),
  password: secret('アプリパスワード'),
  clientId: required('クライアントID', 'PCA開発者コンソールで登録したアプリのクライアントID'),
  clientSecret: secret('クライアントシークレット'),
  datacenter: credential(z.enum(PCA.datacenters).default('east02'), {
    label: 'データセンター',
    help: 'PCAクラウドのURLに含まれるデータセンター（例: east02）',
  }),
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
    credentials: PcaCredentialsSchema,
    fields: pcaFields(product),
    limits: PCA_LIMITS,
    hasDataAreas: true,
    connect: async (credentials, context) => openPcaSession(product, credentials, context),
  });
}
