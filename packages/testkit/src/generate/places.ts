/** A city (市区町村) with the first three digits of its postal codes. */
export interface City {
  name: string;
  postalPrefix: string;
}

export interface Prefecture {
  name: string;
  /** Relative share of employees living there (roughly follows the working population). */
  weight: number;
  cities: readonly City[];
}

function cities(table: string): City[] {
  return table
    .trim()
    .split(/\s+/)
    .map((entry) => {
      const [name, postalPrefix] = entry.split(':');
      if (!name || !postalPrefix || !/^\d{3}$/.test(postalPrefix))
        throw new Error(`Malformed city: ${entry}`);
      return { name, postalPrefix };
    });
}

/** All 47 都道府県 with real cities and their real postal-code prefixes. */
export const PREFECTURES: readonly Prefecture[] = [
  { name: '北海道', weight: 4, cities: cities('札幌市中央区:060 札幌市北区:001 旭川市:070 函館市:040') },
  { name: '青森県', weight: 1, cities: cities('青森市:030 八戸市:031 弘前市:036') },
  { name: '岩手県', weight: 1, cities: cities('盛岡市:020 一関市:021') },
  { name: '宮城県', weight: 2, cities: cities('仙台市青葉区:980 仙台市宮城野区:983 石巻市:986') },
  { name: '秋田県', weight: 1, cities: cities('秋田市:010 横手市:013') },
  { name: '山形県', weight: 1, cities: cities('山形市:990 鶴岡市:997') },
  { name: '福島県', weight: 1, cities: cities('福島市:960 郡山市:963 いわき市:970') },
  { name: '茨城県', weight: 2, cities: cities('水戸市:310 つくば市:305 日立市:317') },
  { name: '栃木県', weight: 1, cities: cities('宇都宮市:320 小山市:323') },
  { name: '群馬県', weight: 1, cities: cities('前橋市:371 高崎市:370') },
  {
    name: '埼玉県',
    weight: 6,
    cities: cities('さいたま市大宮区:330 さいたま市浦和区:330 川越市:350 川口市:332 所沢市:359 越谷市:343'),
  },
  { name: '千葉県', weight: 5, cities: cities('千葉市中央区:260 船橋市:273 松戸市:271 市川市:272 柏市:277') },
  {
    name: '東京都',
    weight: 14,
    cities: cities(
      '千代田区:100 中央区:104 港区:105 新宿区:160 文京区:112 台東区:110 墨田区:130 江東区:135 品川区:140 目黒区:152 大田区:144 世田谷区:154 渋谷区:150 中野区:164 杉並区:166 豊島区:170 北区:114 板橋区:173 練馬区:176 足立区:120 葛飾区:124 江戸川区:132 八王子市:192 町田市:194 府中市:183 調布市:182 武蔵野市:180',
    ),
  },
  {
    name: '神奈川県',
    weight: 8,
    cities: cities(
      '横浜市西区:220 横浜市港北区:222 横浜市青葉区:225 川崎市中原区:211 川崎市川崎区:210 相模原市中央区:252 藤沢市:251 横須賀市:238',
    ),
  },
  { name: '新潟県', weight: 1, cities: cities('新潟市中央区:951 長岡市:940') },
  { name: '富山県', weight: 1, cities: cities('富山市:930 高岡市:933') },
  { name: '石川県', weight: 1, cities: cities('金沢市:920 小松市:923') },
  { name: '福井県', weight: 1, cities: cities('福井市:910 敦賀市:914') },
  { name: '山梨県', weight: 1, cities: cities('甲府市:400') },
  { name: '長野県', weight: 1, cities: cities('長野市:380 松本市:390') },
  { name: '岐阜県', weight: 1, cities: cities('岐阜市:500 大垣市:503') },
  { name: '静岡県', weight: 2, cities: cities('静岡市葵区:420 浜松市中央区:430 沼津市:410') },
  {
    name: '愛知県',
    weight: 6,
    cities: cities('名古屋市中区:460 名古屋市中村区:450 名古屋市千種区:464 豊田市:471 岡崎市:444 一宮市:491'),
  },
  { name: '三重県', weight: 1, cities: cities('津市:514 四日市市:510') },
  { name: '滋賀県', weight: 1, cities: cities('大津市:520 草津市:525') },
  { name: '京都府', weight: 2, cities: cities('京都市中京区:604 京都市左京区:606 宇治市:611') },
  {
    name: '大阪府',
    weight: 7,
    cities: cities(
      '大阪市北区:530 大阪市中央区:540 大阪市淀川区:532 堺市堺区:590 豊中市:560 吹田市:564 東大阪市:577',
    ),
  },
  {
    name: '兵庫県',
    weight: 4,
    cities: cities('神戸市中央区:650 神戸市東灘区:658 姫路市:670 西宮市:662 尼崎市:660'),
  },
  { name: '奈良県', weight: 1, cities: cities('奈良市:630 橿原市:634') },
  { name: '和歌山県', weight: 1, cities: cities('和歌山市:640') },
  { name: '鳥取県', weight: 1, cities: cities('鳥取市:680 米子市:683') },
  { name: '島根県', weight: 1, cities: cities('松江市:690 出雲市:693') },
  { name: '岡山県', weight: 1, cities: cities('岡山市北区:700 倉敷市:710') },
  { name: '広島県', weight: 2, cities: cities('広島市中区:730 福山市:720') },
  { name: '山口県', weight: 1, cities: cities('山口市:753 下関市:750') },
  { name: '徳島県', weight: 1, cities: cities('徳島市:770') },
  { name: '香川県', weight: 1, cities: cities('高松市:760 丸亀市:763') },
  { name: '愛媛県', weight: 1, cities: cities('松山市:790 今治市:794') },
  { name: '高知県', weight: 1, cities: cities('高知市:780') },
  {
    name: '福岡県',
    weight: 4,
    cities: cities('福岡市博多区:812 福岡市中央区:810 北九州市小倉北区:802 久留米市:830'),
  },
  { name: '佐賀県', weight: 1, cities: cities('佐賀市:840') },
  { name: '長崎県', weight: 1, cities: cities('長崎市:850 佐世保市:857') },
  { name: '熊本県', weight: 1, cities: cities('熊本市中央区:860') },
  { name: '大分県', weight: 1, cities: cities('大分市:870 別府市:874') },
  { name: '宮崎県', weight: 1, cities: cities('宮崎市:880 都城市:885') },
  { name: '鹿児島県', weight: 1, cities: cities('鹿児島市:890 霧島市:899') },
  { name: '沖縄県', weight: 1, cities: cities('那覇市:900 沖縄市:904') },
];

/** Town names common enough to be plausible in any city. */
export const TOWNS: readonly string[] = [
  '本町',
  '中央',
  '栄町',
  '緑町',
  '旭町',
  '幸町',
  '若葉',
  '桜町',
  '東町',
  '西町',
  '南町',
  '北町',
  '新町',
  '大手町',
  '宮前',
  '松が丘',
  '花園',
  '錦町',
  '日吉町',
  '富士見',
];

export const BUILDING_NAMES: readonly string[] = [
  'サンハイツ',
  'グリーンコーポ',
  'メゾン桜',
  'パークサイド',
  'コーポ若葉',
  'ライオンズマンション',
  'レジデンス中央',
  'ハイム緑',
];
