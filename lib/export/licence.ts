// The licence notice of the active dataset, shown before a microdata export and sent with it: an imported dataset's
// own notes when the admin recorded them, otherwise the standing terms of CMDS microdata; the synthetic set is free.
export interface LicenceNotice {
  synthetic: boolean;
  text: string;
}

const CMDS_TERMS =
  '中国流动人口动态监测调查（CMDS）数据由国家卫生健康委流动人口服务中心授权使用：仅限获批的研究与工作用途，不得转发、公开或试图识别受访者；' +
  '使用结果须注明数据来源。 · CMDS microdata are licensed by the Migrant Population Service Center of the National Health Commission: for the ' +
  'approved research and work only; do not pass on, publish, or attempt to identify respondents; cite the data source in any result.';

const SYNTHETIC_TERMS =
  '合成演示数据，并非调查应答，可自由使用。 · Synthetic demonstration data, not survey responses; free to use.';

/** The notice as a page shows it: the standing terms in the interface language only (the export keeps both). */
export function localizedLicenceText(notice: LicenceNotice, locale: 'zh' | 'en'): string {
  const pick = (bilingual: string) => bilingual.split(' · ')[locale === 'zh' ? 0 : 1] ?? bilingual;
  return notice.text.replace(CMDS_TERMS, pick(CMDS_TERMS)).replace(SYNTHETIC_TERMS, pick(SYNTHETIC_TERMS));
}

export function licenceNotice(dataset: { kind: 'synthetic' | 'imported'; notes: string | null }): LicenceNotice {
  if (dataset.kind === 'synthetic') return { synthetic: true, text: SYNTHETIC_TERMS };
  return { synthetic: false, text: dataset.notes?.trim() ? `${dataset.notes.trim()}\n\n${CMDS_TERMS}` : CMDS_TERMS };
}
