import { ConnectorError } from '@renkei/core';
import { ErrorBody } from './api.ts';
import { PCA } from './vendor.ts';

/** Reads PCA's `{"Code","Message"}` error answers; statuses it does not explain keep core's reading. */
export function classifyPcaError(productName: string) {
  return (answer: { status: number; body: unknown }): ConnectorError | undefined => {
    if (answer.status < 400) return undefined;
    const parsed = ErrorBody.safeParse(answer.body);
    if (!parsed.success) return undefined;
    const { Code: code, Message: vendorMessage } = parsed.data;
    const options = { vendorCode: code, status: answer.status };
    if (code === PCA.codes.licenceExhausted) {
      return new ConnectorError(
        'auth',
        `${productName}の同時接続数の上限に達しているため接続できません。他の連携やPCAの画面からログアウトしてから再実行してください。（${vendorMessage}）`,
        { ...options, retryable: false },
      );
    }
    if (code === PCA.codes.invalidCredentials) {
      return new ConnectorError(
        'auth',
        `${productName}にログインできませんでした。連携設定のサービスID・アプリユーザー名・各パスワード・クライアントID/シークレットを確認してください。`,
        options,
      );
    }
    if (PCA.isTokenCode(code)) {
      return new ConnectorError('auth', `${productName}の認証が切れました。（${vendorMessage}）`, options);
    }
    if (answer.status === PCA.status.tooManyRequests || answer.status >= 500) return undefined;
    if (code === PCA.codes.dataAreaNotSelected || code === PCA.codes.snapshotNotFound) {
      return new ConnectorError(
        'protocol',
        `${productName}との通信の手順に誤りがあります。（${vendorMessage}）`,
        options,
      );
    }
    if (answer.status === PCA.status.notFound) {
      return new ConnectorError('not_found', `${productName}: ${vendorMessage}`, options);
    }
    return new ConnectorError(
      'validation',
      `${productName}が受け付けませんでした: ${vendorMessage}`,
      options,
    );
  };
}
