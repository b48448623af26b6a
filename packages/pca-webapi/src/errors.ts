import { ConnectorError } from '@renkei/core';
import { ErrorBody } from './api.ts';
import { PCA } from './vendor.ts';

/** The vendor code Renkei gives the error of a login whose answer was lost (PCA has none for it). */
export const LOGIN_ANSWER_LOST = 'RENKEI_LOGIN_ANSWER_LOST';

const tokyoTime = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** 「12月6日 15:04」 in Japan's time. */
export const japanTime = (epochMs: number): string =>
  tokyoTime.format(epochMs).replace(/\//, '月').replace(' ', '日 ');

/** When a lost login's licence is free again, and what the admin can do sooner. */
const whatToDo = (productName: string, until: number) =>
  `このライセンスはPCAのセッションタイムアウトにより、遅くとも${japanTime(until)}（日本時間）に自動で解放されます。` +
  'それまでこの連携はPCAにログインしません（ライセンスを使い切らないためです）。' +
  `${japanTime(until)}以降に再実行してください。すぐに再実行する場合は、${productName}の画面で使用中の接続をログアウトし、` +
  '連携設定の「接続テスト」が成功してから再実行してください。';

/**
 * A password grant was sent and its answer lost: PCA may have started a login that holds a licence,
 * which Renkei cannot log out (it never saw the token). Logging in again could leak another, so the
 * connection stops and the admin is told how the licence comes back.
 */
export function loginAnswerLostError(
  productName: string,
  hold: { since: number; until: number },
  cause: unknown,
): ConnectorError {
  return new ConnectorError(
    'auth',
    `${productName}へのログインの応答が${japanTime(hold.since)}に届かなかったため、同期を中止しました。` +
      `${productName}ではログインが成立し、同時接続（ライセンス）を1つ使用している可能性があります。` +
      whatToDo(productName, hold.until),
    { retryable: false, vendorCode: LOGIN_ANSWER_LOST, cause },
  );
}

/** Another session of the connection lost a login's answer: this one does not log in before `until`. */
export function loginHeldError(productName: string, hold: { since: number; until: number }): ConnectorError {
  return new ConnectorError(
    'auth',
    `${japanTime(hold.since)}に${productName}へのログインの応答が届かなかったため、同期を中止しました。` +
      `${productName}ではそのログインが成立し、同時接続（ライセンス）を1つ使用している可能性があります。` +
      whatToDo(productName, hold.until),
    { retryable: false, vendorCode: LOGIN_ANSWER_LOST },
  );
}

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
