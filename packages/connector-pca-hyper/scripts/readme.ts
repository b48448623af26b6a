/** Regenerates the README's 連携設定 and 連携可能な従業員情報 tables: `node scripts/readme.ts`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { updateReadme } from '@renkei/pca-webapi';
import connector from '../src/index.ts';
import { PCA_KYUYO_HYPER } from '../src/product.ts';

const path = new URL('../README.md', import.meta.url);
writeFileSync(path, updateReadme(readFileSync(path, 'utf8'), connector, PCA_KYUYO_HYPER));
