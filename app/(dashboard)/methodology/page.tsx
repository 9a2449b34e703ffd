import { requirePagePermission } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { INDICATORS } from '@/lib/indicators/catalogue';
import { getLocale, getTranslator } from '@/lib/i18n/server';
import { getActiveDataset } from '@/lib/queries/datasets';
import targets from '@/db/calibration-targets.json';

const SECTIONS = {
  zh: [
    ['数据是什么', '系统的结构沿用中国流动人口动态监测调查（CMDS）：2014 年八城市社会融合专题（n = 15,997）与 2017 年全国调查。CMDS 是许可使用的微观数据，本仓库不含真实数据。当前载入的是确定性生成的合成数据：其边际分布与模型系数仿照已发表的统计结果（来源见下表），用于演示功能，不是调查应答，不能用于决策。导入真实数据后，页面上的合成数据提示会消失。'],
    ['抽样设计与置信区间', '全国数据为分层多阶段抽样：以省为层，以社区（村/居委会）为初级抽样单位（PSU），每个受访者带有抽样权数。所有比例与均值均为加权估计，其标准误用泰勒线性化按层与 PSU 计算（与 R survey 包 svydesign(ids=~psu, strata=~stratum, weights=~w, nest=TRUE) 一致）。子群体（城市、户籍、流动范围）按域估计处理，不删除其他样本。比例的 95% 置信区间在 logit 尺度上计算后再转换（svyciprop method="logit"），均值用 t 分布区间；自由度为该域所含 PSU 数减去层数。'],
    ['小样本隐藏规则', `样本量少于 ${env.SUPPRESSION_MIN_N} 人、或无法估计方差（域内不足两个 PSU）的单元格不显示估计值，只显示样本量并注明“样本不足”。`],
    ['指标定义', '社会融合指数为六个融合条目（喜欢本地、关注本地变化、愿意融入、本地人接受我、本地人看不起外地人（反向）、卫生习惯差异（反向））1–4 分的平均值，换算为 0–100 分。建立健康档案、接受健康教育、参加医疗保险等为过去一年的是/否指标。'],
  ],
  en: [
    ['What the data are', 'The structure follows the China Migrants Dynamic Survey (CMDS): the 2014 eight-city social-integration module (n = 15,997) and the 2017 national wave. CMDS is licensed microdata that this repository does not contain. The data loaded now are generated deterministically: their marginals and model coefficients imitate published results (sources below). They demonstrate the dashboard; they are not survey responses and must not inform decisions. The notice disappears once real data are imported.'],
    ['Sampling design and confidence intervals', 'The national wave is a stratified multistage sample: provinces are strata, communities (villages / neighbourhood committees) are primary sampling units (PSUs), and each respondent carries a sampling weight. Every proportion and mean is weighted; its standard error is Taylor-linearised over strata and PSUs (as R survey::svydesign(ids=~psu, strata=~stratum, weights=~w, nest=TRUE)). Subgroups (city, hukou, migration range) are estimated as domains, without dropping the other respondents. 95% CIs for proportions are computed on the logit scale and transformed back (svyciprop method="logit"); means use t intervals; the degrees of freedom are the domain\'s PSUs minus its strata.'],
    ['Small-cell suppression', `Cells with fewer than ${env.SUPPRESSION_MIN_N} respondents, or without a variance estimate (fewer than two PSUs in the domain), show no estimate: only their n and the word "suppressed".`],
    ['Indicator definitions', 'The social integration index is the mean of six 1–4 items (likes the city, follows its changes, willing to integrate, accepted by locals, locals look down on outsiders (reversed), hygiene habits differ (reversed)), rescaled to 0–100. Health record, health education and medical insurance are yes/no indicators for the past year.'],
  ],
} as const;

export default async function MethodologyPage() {
  await requirePagePermission('dashboard:view');
  const [t, locale] = [await getTranslator(), await getLocale()];
  const dataset = getActiveDataset();
  const national = targets.national_wave_2017;
  const sources: Array<[string, string]> = [
    ['2014 module, Table 1 and Table 2', targets.module_2014_eight_cities.source],
    ['Health records', national.health_records_established.source_pooled],
    ['Health records by province', national.health_records_established.by_province_2016_2017_east.source],
    ['Health education', national.health_education.source],
    ['Medical insurance', national.insurance.source_deck],
    ['Integration items', national.integration_items_1_to_4.source],
    ['Residence and hukou intentions', national.intentions.source],
    ['City tiers', targets.geography.city_tiers_2017.source],
  ];
  return (
    <article className="max-w-3xl space-y-6">
      <h1 className="text-2xl font-semibold">{t('methodology.title')}</h1>
      {dataset && (
        <p className="text-sm text-slate-600">
          {dataset.label} · {dataset.kind === 'synthetic' ? t('synthetic.short') : dataset.kind}
        </p>
      )}
      {SECTIONS[locale].map(([title, body]) => (
        <section key={title}>
          <h2 className="text-lg font-medium">{title}</h2>
          <p className="mt-1 leading-relaxed text-slate-700">{body}</p>
        </section>
      ))}
      <section>
        <h2 className="text-lg font-medium">{t('filters.indicator')}</h2>
        <ul className="mt-2 list-disc pl-5 text-sm text-slate-700">
          {INDICATORS.map((i) => (
            <li key={i.key}>
              {locale === 'zh' ? i.labelZh : i.labelEn} — <code>{i.variable}</code>
              {i.value !== undefined ? ` = ${i.value}` : ''} ({i.kind}, {i.waves.join(', ')})
            </li>
          ))}
        </ul>
      </section>
      <section>
        <h2 className="text-lg font-medium">{locale === 'zh' ? '校准来源' : 'Calibration sources'}</h2>
        <table className="mt-2 w-full text-sm">
          <tbody>
            {sources.map(([what, source]) => (
              <tr key={what} className="border-t border-slate-200">
                <td className="py-1 pr-4 align-top text-slate-600">{what}</td>
                <td className="py-1">{source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </article>
  );
}
