// Prefecture-level codes that CMDS waves 2009–2018 may carry but the current GB/T 2260 list no longer has: divisions
// abolished, merged, or re-coded when a prefecture (地区) became a city. Names as they were; `note` says what happened.
export interface HistoricDivision {
  code: string;
  nameZh: string;
  nameEn: string;
  officialNameZh: string;
  note: string;
}

export const HISTORIC_DIVISIONS: readonly HistoricDivision[] = [
  { code: '341400', nameZh: '巢湖', nameEn: 'Chaohu', officialNameZh: '巢湖市', note: 'prefecture-level city abolished in 2011 and divided among Hefei, Wuhu and Ma\'anshan' },
  { code: '371200', nameZh: '莱芜', nameEn: 'Laiwu', officialNameZh: '莱芜市', note: 'merged into Jinan (370100) in 2019' },
  { code: '522200', nameZh: '铜仁地区', nameEn: 'Tongren Prefecture', officialNameZh: '铜仁地区', note: 'became the city of Tongren (520600) in 2011' },
  { code: '522400', nameZh: '毕节地区', nameEn: 'Bijie Prefecture', officialNameZh: '毕节地区', note: 'became the city of Bijie (520500) in 2011' },
  { code: '632100', nameZh: '海东地区', nameEn: 'Haidong Prefecture', officialNameZh: '海东地区', note: 'became the city of Haidong (630200) in 2013' },
  { code: '542100', nameZh: '昌都地区', nameEn: 'Qamdo Prefecture', officialNameZh: '昌都地区', note: 'became the city of Qamdo (540300) in 2014' },
  { code: '542300', nameZh: '日喀则地区', nameEn: 'Shigatse Prefecture', officialNameZh: '日喀则地区', note: 'became the city of Shigatse (540200) in 2014' },
  { code: '542600', nameZh: '林芝地区', nameEn: 'Nyingchi Prefecture', officialNameZh: '林芝地区', note: 'became the city of Nyingchi (540400) in 2015' },
  { code: '542200', nameZh: '山南地区', nameEn: 'Shannan Prefecture', officialNameZh: '山南地区', note: 'became the city of Shannan (540500) in 2016' },
  { code: '542400', nameZh: '那曲地区', nameEn: 'Nagqu Prefecture', officialNameZh: '那曲地区', note: 'became the city of Nagqu (540600) in 2017' },
  { code: '652100', nameZh: '吐鲁番地区', nameEn: 'Turpan Prefecture', officialNameZh: '吐鲁番地区', note: 'became the city of Turpan (650400) in 2015' },
  { code: '652200', nameZh: '哈密地区', nameEn: 'Hami Prefecture', officialNameZh: '哈密地区', note: 'became the city of Hami (650500) in 2016' },
];
