import { z } from 'zod';

/** A user's name, e-mail and password as the set-up and ユーザー管理 forms take them, with Japanese messages. */
export const UserFields = z.object({
  name: z.string().trim().min(1, '名前を入力してください。').max(100, '名前は100文字以内にしてください。'),
  email: z
    .string()
    .trim()
    .min(1, 'メールアドレスを入力してください。')
    .max(254, 'メールアドレスが長すぎます。')
    .pipe(z.email('メールアドレスの形式が正しくありません。')),
  password: z.string().min(1, 'パスワードを入力してください。').max(1000, 'パスワードが長すぎます。'),
});
