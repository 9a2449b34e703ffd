// The province tile grid of the map: one equal square per provincial-level division of China, placed by hand so that
// neighbours stay neighbours (own work, CC0; see docs/map-tile-grid.md). No boundary geometry, so nothing to approve.
export interface ProvinceTile {
  /** GB/T 2260 two-digit province code. */
  code: string;
  /** ISO 3166-2:CN subdivision code without the prefix, shown on the tile in English. */
  iso: string;
  /** Short Chinese name shown on the tile. */
  shortZh: string;
  column: number;
  row: number;
  /** Taiwan, Hong Kong and Macau are on the map so China is complete, but CMDS does not survey them. */
  surveyed: boolean;
}

export const TILE_COLUMNS = 7;
export const TILE_ROWS = 8;

// Columns run west to east, rows north to south (longitude bands of about 4°, latitude bands of about 3.5°).
export const PROVINCE_TILES: readonly ProvinceTile[] = [
  { code: '23', iso: 'HL', shortZh: '黑龙江', column: 6, row: 0, surveyed: true },
  { code: '15', iso: 'NM', shortZh: '内蒙古', column: 3, row: 1, surveyed: true },
  { code: '11', iso: 'BJ', shortZh: '北京', column: 4, row: 1, surveyed: true },
  { code: '21', iso: 'LN', shortZh: '辽宁', column: 5, row: 1, surveyed: true },
  { code: '22', iso: 'JL', shortZh: '吉林', column: 6, row: 1, surveyed: true },
  { code: '65', iso: 'XJ', shortZh: '新疆', column: 0, row: 2, surveyed: true },
  { code: '62', iso: 'GS', shortZh: '甘肃', column: 1, row: 2, surveyed: true },
  { code: '64', iso: 'NX', shortZh: '宁夏', column: 2, row: 2, surveyed: true },
  { code: '14', iso: 'SX', shortZh: '山西', column: 3, row: 2, surveyed: true },
  { code: '13', iso: 'HE', shortZh: '河北', column: 4, row: 2, surveyed: true },
  { code: '12', iso: 'TJ', shortZh: '天津', column: 5, row: 2, surveyed: true },
  { code: '54', iso: 'XZ', shortZh: '西藏', column: 0, row: 3, surveyed: true },
  { code: '63', iso: 'QH', shortZh: '青海', column: 1, row: 3, surveyed: true },
  { code: '61', iso: 'SN', shortZh: '陕西', column: 2, row: 3, surveyed: true },
  { code: '41', iso: 'HA', shortZh: '河南', column: 3, row: 3, surveyed: true },
  { code: '37', iso: 'SD', shortZh: '山东', column: 4, row: 3, surveyed: true },
  { code: '51', iso: 'SC', shortZh: '四川', column: 1, row: 4, surveyed: true },
  { code: '50', iso: 'CQ', shortZh: '重庆', column: 2, row: 4, surveyed: true },
  { code: '42', iso: 'HB', shortZh: '湖北', column: 3, row: 4, surveyed: true },
  { code: '34', iso: 'AH', shortZh: '安徽', column: 4, row: 4, surveyed: true },
  { code: '32', iso: 'JS', shortZh: '江苏', column: 5, row: 4, surveyed: true },
  { code: '31', iso: 'SH', shortZh: '上海', column: 6, row: 4, surveyed: true },
  { code: '53', iso: 'YN', shortZh: '云南', column: 1, row: 5, surveyed: true },
  { code: '52', iso: 'GZ', shortZh: '贵州', column: 2, row: 5, surveyed: true },
  { code: '43', iso: 'HN', shortZh: '湖南', column: 3, row: 5, surveyed: true },
  { code: '36', iso: 'JX', shortZh: '江西', column: 4, row: 5, surveyed: true },
  { code: '33', iso: 'ZJ', shortZh: '浙江', column: 5, row: 5, surveyed: true },
  { code: '45', iso: 'GX', shortZh: '广西', column: 2, row: 6, surveyed: true },
  { code: '44', iso: 'GD', shortZh: '广东', column: 3, row: 6, surveyed: true },
  { code: '35', iso: 'FJ', shortZh: '福建', column: 4, row: 6, surveyed: true },
  { code: '71', iso: 'TW', shortZh: '台湾', column: 5, row: 6, surveyed: false },
  { code: '46', iso: 'HI', shortZh: '海南', column: 2, row: 7, surveyed: true },
  { code: '82', iso: 'MO', shortZh: '澳门', column: 3, row: 7, surveyed: false },
  { code: '81', iso: 'HK', shortZh: '香港', column: 4, row: 7, surveyed: false },
];

/** English names of the tiles that are not in the dashboard's province table. */
export const UNSURVEYED_NAMES_EN: Readonly<Record<string, string>> = { '71': 'Taiwan', '81': 'Hong Kong', '82': 'Macau' };
