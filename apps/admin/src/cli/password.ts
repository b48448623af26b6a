// Reads a password for `renkei users create`: typed at a terminal without echo (asked twice), or
// the first line of stdin when it is piped. Never from argv, where `ps` and shell history see it.
import { stderr, stdin } from 'node:process';

function readHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    stderr.write(prompt);
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new Error('中断しました。'));
        if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else if (char >= ' ') value += char;
      }
    };
    stdin.on('data', onData);
  });
}

async function readFirstLine(): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += chunk.toString();
    if (text.includes('\n') || text.length > 4096) break;
  }
  return (text.split(/\r?\n/)[0] ?? '').slice(0, 1000);
}

export async function readPassword(): Promise<string> {
  if (!stdin.isTTY) return readFirstLine();
  const first = await readHidden('パスワード / Password: ');
  const again = await readHidden('もう一度 / Again: ');
  if (first !== again) throw new Error('パスワードが一致しません。 / The passwords do not match.');
  return first;
}
