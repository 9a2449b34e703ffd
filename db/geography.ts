// Provinces and prefecture-level cities of the dashboard (GB/T 2260 codes), with the NBS four-region division and the
// 2017 city tiers of db/calibration-targets.json. The geography is shared by every dataset.
import type { AppDatabase } from './client';
import { cities, provinces } from './schema';

import type { CityTier, Region } from '../lib/domain';

export type { CityTier, Region };

export interface Province {
  code: string;
  nameZh: string;
  nameEn: string;
  region: Region;
}

export interface City {
  code: string;
  nameZh: string;
  nameEn: string;
  provinceCode: string;
  tier: CityTier;
}

// code, 中文, English, region
const PROVINCE_TABLE = `
11 北京 Beijing east|12 天津 Tianjin east|13 河北 Hebei east|14 山西 Shanxi central|15 内蒙古 Inner_Mongolia west
21 辽宁 Liaoning northeast|22 吉林 Jilin northeast|23 黑龙江 Heilongjiang northeast|31 上海 Shanghai east
32 江苏 Jiangsu east|33 浙江 Zhejiang east|34 安徽 Anhui central|35 福建 Fujian east|36 江西 Jiangxi central
37 山东 Shandong east|41 河南 Henan central|42 湖北 Hubei central|43 湖南 Hunan central|44 广东 Guangdong east
45 广西 Guangxi west|46 海南 Hainan east|50 重庆 Chongqing west|51 四川 Sichuan west|52 贵州 Guizhou west
53 云南 Yunnan west|54 西藏 Tibet west|61 陕西 Shaanxi west|62 甘肃 Gansu west|63 青海 Qinghai west
64 宁夏 Ningxia west|65 新疆 Xinjiang west`;

// code, 中文, English, tier (province = first two digits of the code)
const CITY_TABLE = `
110100 北京 Beijing tier1|310100 上海 Shanghai tier1|440100 广州 Guangzhou tier1|440300 深圳 Shenzhen tier1
510100 成都 Chengdu new_tier1|330100 杭州 Hangzhou new_tier1|420100 武汉 Wuhan new_tier1|320100 南京 Nanjing new_tier1
500100 重庆 Chongqing new_tier1|120100 天津 Tianjin new_tier1|320500 苏州 Suzhou new_tier1|610100 西安 Xi'an new_tier1
430100 长沙 Changsha new_tier1|210100 沈阳 Shenyang new_tier1|370200 青岛 Qingdao new_tier1|410100 郑州 Zhengzhou new_tier1
210200 大连 Dalian new_tier1|441900 东莞 Dongguan new_tier1|330200 宁波 Ningbo new_tier1
350200 厦门 Xiamen tier2|350100 福州 Fuzhou tier2|320200 无锡 Wuxi tier2|340100 合肥 Hefei tier2|530100 昆明 Kunming tier2
230100 哈尔滨 Harbin tier2|370100 济南 Jinan tier2|440600 佛山 Foshan tier2|220100 长春 Changchun tier2
330300 温州 Wenzhou tier2|130100 石家庄 Shijiazhuang tier2|450100 南宁 Nanning tier2|360100 南昌 Nanchang tier2
520100 贵阳 Guiyang tier2|140100 太原 Taiyuan tier2|330400 嘉兴 Jiaxing tier2|650100 乌鲁木齐 Urumqi tier2
442000 中山 Zhongshan tier2|620100 兰州 Lanzhou tier2|460100 海口 Haikou tier2|370600 烟台 Yantai tier2
370700 潍坊 Weifang tier3|130600 保定 Baoding tier3|450300 桂林 Guilin tier3|130200 唐山 Tangshan tier3
460200 三亚 Sanya tier3|150100 呼和浩特 Hohhot tier3|410300 洛阳 Luoyang tier3|131000 廊坊 Langfang tier3
630100 西宁 Xining tier4plus|640100 银川 Yinchuan tier4plus|540100 拉萨 Lhasa tier4plus|150200 包头 Baotou tier4plus
220200 吉林 Jilin tier4plus|230600 大庆 Daqing tier4plus|210300 鞍山 Anshan tier4plus|340200 芜湖 Wuhu tier4plus
360700 赣州 Ganzhou tier4plus|411300 南阳 Nanyang tier4plus|420500 宜昌 Yichang tier4plus|430700 常德 Changde tier4plus
140200 大同 Datong tier4plus|510700 绵阳 Mianyang tier4plus|520300 遵义 Zunyi tier4plus|530400 玉溪 Yuxi tier4plus
610300 宝鸡 Baoji tier4plus|620500 天水 Tianshui tier4plus|650200 克拉玛依 Karamay tier4plus|450200 柳州 Liuzhou tier4plus
350500 泉州 Quanzhou tier2|320400 常州 Changzhou tier2|320600 南通 Nantong tier2|441300 惠州 Huizhou tier2`;

export const PROVINCES: readonly Province[] = PROVINCE_TABLE.trim()
  .split(/[|\n]/)
  .map((entry) => {
    const [code, nameZh, nameEn, region] = entry.trim().split(' ') as [string, string, string, Region];
    return { code, nameZh, nameEn: nameEn.replace(/_/g, ' '), region };
  });

export const CITIES: readonly City[] = CITY_TABLE.trim()
  .split(/[|\n]/)
  .map((entry) => {
    const [code, nameZh, nameEn, tier] = entry.trim().split(' ') as [string, string, string, CityTier];
    return { code, nameZh, nameEn, provinceCode: code.slice(0, 2), tier };
  });

/** The eight cities of the 2014 social-integration module (seed 001), by city code. */
export const MODULE_2014_CITY_CODES = ['110100', '510100', '330400', '370200', '350200', '440300', '410100', '442000'] as const;

export function provinceOf(city: City): Province {
  const province = PROVINCES.find((p) => p.code === city.provinceCode);
  if (!province) throw new Error(`City ${city.code} has no province ${city.provinceCode}`);
  return province;
}

export function cityByCode(code: string): City {
  const city = CITIES.find((c) => c.code === code);
  if (!city) throw new Error(`Unknown city code ${code}`);
  return city;
}

/** Upserts provinces and cities, so any dataset (demo or imported) can refer to them. */
export function insertGeography(db: AppDatabase): void {
  for (const province of PROVINCES) {
    db.insert(provinces).values(province).onConflictDoUpdate({ target: provinces.code, set: province }).run();
  }
  for (const city of CITIES) {
    db.insert(cities).values(city).onConflictDoUpdate({ target: cities.code, set: city }).run();
  }
}
