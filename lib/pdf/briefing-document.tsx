// The layout of a briefing PDF (react-pdf): cover and key points, headline table, a vector dot-and-whisker chart,
// breakdown, model findings and the methods page, with a running footer. It only lays out a BriefingModel: every
// string and number arrives formatted.
import { Document, Line, Page, Circle, StyleSheet, Svg, Text, View } from '@react-pdf/renderer';
import type { BriefingModel, CellText, ChartModel, ChartRow, FindingsModel, TableModel } from './briefing-types';
import { fontStack } from './fonts';

const INK = '#1e293b';
const MUTED = '#64748b';
const RULE = '#cbd5e1';
const ACCENT = '#991b1b';
const PANEL = '#f1f5f9';
const TONES: Record<ChartRow['tone'], string> = { primary: ACCENT, secondary: '#475569', muted: '#94a3b8' };

const styles = StyleSheet.create({
  // No lineHeight on the Page: react-pdf drops dynamic (render) texts that inherit one. Running text sets its own,
  // with its fontSize beside it (a unitless lineHeight is resolved against the style's own fontSize, default 18).
  page: { paddingTop: 44, paddingBottom: 58, paddingHorizontal: 50, fontSize: 9, color: INK },
  runningHead: { position: 'absolute', top: 20, left: 50, right: 50, flexDirection: 'row', justifyContent: 'space-between', fontSize: 7, color: MUTED, borderBottomWidth: 0.5, borderBottomColor: RULE, paddingBottom: 3 },
  footer: { position: 'absolute', bottom: 24, left: 50, right: 50, flexDirection: 'row', justifyContent: 'space-between', borderTopWidth: 0.5, borderTopColor: RULE, paddingTop: 5, fontSize: 7, color: MUTED },
  footerNotice: { maxWidth: 380 },
  pageNumber: { position: 'absolute', bottom: 24, right: 50, fontSize: 7, color: MUTED },
  footerSynthetic: { color: ACCENT },
  eyebrow: { fontSize: 8, color: ACCENT, letterSpacing: 0.6, marginTop: 8 },
  title: { fontSize: 20, fontWeight: 'bold', lineHeight: 1.25, marginTop: 6 },
  subtitle: { fontSize: 10.5, color: MUTED, marginTop: 4, marginBottom: 12 },
  facts: { borderTopWidth: 1.5, borderTopColor: INK, borderBottomWidth: 0.5, borderBottomColor: RULE, paddingVertical: 6, marginBottom: 12 },
  factRow: { flexDirection: 'row', paddingVertical: 1.5 },
  factLabel: { width: 92, color: MUTED, fontSize: 9, lineHeight: 1.4 },
  factValue: { flex: 1, fontSize: 9, lineHeight: 1.4 },
  summary: { backgroundColor: PANEL, borderLeftWidth: 3, borderLeftColor: ACCENT, padding: 9, marginBottom: 14 },
  summaryTitle: { fontSize: 10, fontWeight: 'bold', marginBottom: 4 },
  bulletRow: { flexDirection: 'row', marginBottom: 2.5 },
  bullet: { width: 10, color: ACCENT },
  bulletText: { flex: 1, fontSize: 9, lineHeight: 1.4 },
  h2: { fontSize: 12.5, fontWeight: 'bold', marginBottom: 3, color: INK },
  lead: { color: MUTED, marginBottom: 6, fontSize: 9, lineHeight: 1.4 },
  section: { marginBottom: 14 },
  table: { borderTopWidth: 1.2, borderTopColor: INK, borderBottomWidth: 1.2, borderBottomColor: INK },
  headerRow: { flexDirection: 'row', borderBottomWidth: 0.6, borderBottomColor: INK, backgroundColor: PANEL },
  headerCell: { fontSize: 7.5, fontWeight: 'bold', paddingVertical: 4, paddingHorizontal: 4 },
  row: { flexDirection: 'row', borderBottomWidth: 0.4, borderBottomColor: '#e2e8f0' },
  labelCell: { paddingVertical: 5, paddingHorizontal: 4 },
  rowLabel: { fontSize: 8.5 },
  rowSublabel: { fontSize: 7, color: MUTED },
  valueCell: { paddingVertical: 5, paddingHorizontal: 4 },
  estimate: { fontSize: 9.5, fontWeight: 'bold' },
  ci: { fontSize: 7, color: MUTED },
  suppressed: { fontSize: 7, color: MUTED },
  note: { fontSize: 7, color: MUTED, marginTop: 3, lineHeight: 1.35 },
  chartRow: { flexDirection: 'row', alignItems: 'center' },
  chartLabel: { width: 112, fontSize: 7.5, paddingRight: 6, textAlign: 'right' },
  chartGroup: { fontSize: 8, fontWeight: 'bold', paddingTop: 3 },
  chartValue: { width: 128, fontSize: 7, color: MUTED, paddingLeft: 6 },
  legend: { flexDirection: 'row', flexWrap: 'wrap', marginTop: 4, marginLeft: 112 },
  legendItem: { flexDirection: 'row', alignItems: 'center', marginRight: 12, fontSize: 7.5 },
  methodsTitle: { fontSize: 9.5, fontWeight: 'bold', marginTop: 6, marginBottom: 2 },
  methodsBody: { fontSize: 9, lineHeight: 1.45 },
  indicatorRow: { flexDirection: 'row', paddingVertical: 1.5, borderBottomWidth: 0.3, borderBottomColor: '#e2e8f0' },
});

const CONTENT_WIDTH = 595.28 - 100;
const PLOT_WIDTH = CONTENT_WIDTH - 112 - 128;

function Cell({ cell, width }: { cell: CellText; width: number | string }) {
  return (
    <View style={[styles.valueCell, { width }]}>
      <Text style={styles.estimate}>{cell.estimate}</Text>
      {cell.ci || cell.n ? <Text style={cell.suppressed ? styles.suppressed : styles.ci}>{[cell.ci, cell.n].filter(Boolean).join(' ')}</Text> : null}
    </View>
  );
}

function Table({ table, labelWidth }: { table: TableModel; labelWidth: number }) {
  const columns = table.header.length - 1;
  const width = (CONTENT_WIDTH - labelWidth) / columns;
  return (
    <View style={styles.section}>
      <Text style={styles.h2} minPresenceAhead={80}>
        {table.caption}
      </Text>
      {table.lead ? <Text style={styles.lead}>{table.lead}</Text> : null}
      <View style={styles.table}>
        <View style={styles.headerRow} fixed>
          {table.header.map((h, i) => (
            <Text key={i} style={[styles.headerCell, { width: i === 0 ? labelWidth : width }]}>
              {h}
            </Text>
          ))}
        </View>
        {table.rows.map((row, r) => (
          <View key={r} style={styles.row} wrap={false}>
            <View style={[styles.labelCell, { width: labelWidth }]}>
              <Text style={styles.rowLabel}>{row.label}</Text>
              {row.sublabel ? <Text style={styles.rowSublabel}>{row.sublabel}</Text> : null}
            </View>
            {row.cells.map((cell, c) => (
              <Cell key={c} cell={cell} width={width} />
            ))}
          </View>
        ))}
      </View>
      {table.notes.map((note, i) => (
        <Text key={i} style={styles.note}>
          {note}
        </Text>
      ))}
    </View>
  );
}

function x(chart: ChartModel, value: number): number {
  const [min, max] = chart.domain;
  return ((value - min) / (max - min)) * PLOT_WIDTH;
}

/** Vertical grid lines (and the benchmark) for one strip of the plot, so stacked strips read as one chart. */
function Grid({ chart, height }: { chart: ChartModel; height: number }) {
  return (
    <>
      {chart.ticks.map((tick) => (
        <Line key={tick.value} x1={x(chart, tick.value)} x2={x(chart, tick.value)} y1={0} y2={height} stroke="#e2e8f0" strokeWidth={0.5} />
      ))}
      {chart.benchmark ? (
        <Line x1={x(chart, chart.benchmark.value)} x2={x(chart, chart.benchmark.value)} y1={0} y2={height} stroke={INK} strokeWidth={0.8} strokeDasharray="3 2" />
      ) : null}
    </>
  );
}

function ChartStrip({ chart, row, height }: { chart: ChartModel; row: ChartRow; height: number }) {
  const color = TONES[row.tone];
  const mid = height / 2;
  return (
    <View style={styles.chartRow} wrap={false}>
      <Text style={[styles.chartLabel, { color: row.tone === 'primary' ? INK : MUTED }]}>{row.label}</Text>
      <Svg width={PLOT_WIDTH} height={height}>
        <Grid chart={chart} height={height} />
        {row.estimate !== null && row.low !== null && row.high !== null ? (
          <>
            <Line x1={x(chart, row.low)} x2={x(chart, row.high)} y1={mid} y2={mid} stroke={color} strokeWidth={1.4} />
            <Line x1={x(chart, row.low)} x2={x(chart, row.low)} y1={mid - 2.5} y2={mid + 2.5} stroke={color} strokeWidth={0.8} />
            <Line x1={x(chart, row.high)} x2={x(chart, row.high)} y1={mid - 2.5} y2={mid + 2.5} stroke={color} strokeWidth={0.8} />
            <Circle cx={x(chart, row.estimate)} cy={mid} r={2.6} fill={color} />
          </>
        ) : null}
      </Svg>
      <Text style={styles.chartValue}>{row.valueText}</Text>
    </View>
  );
}

type ChartItem = { kind: 'group'; label: string } | { kind: 'row'; row: ChartRow };

// A panel's rows fit on an A4 page below a heading, so a panel never breaks and no axis is left alone on a page.
const PANEL_MAX_HEIGHT = 520;
const GROUP_HEIGHT = 14;

/** Splits the chart's groups and rows into page-sized panels; a group's heading stays with its first row. */
export function chartPanels(chart: ChartModel, rowHeight: number): ChartItem[][] {
  const panels: ChartItem[][] = [];
  let panel: ChartItem[] = [];
  let used = 0;
  const add = (items: ChartItem[], height: number) => {
    if (used + height > PANEL_MAX_HEIGHT && panel.length > 0) {
      panels.push(panel);
      panel = [];
      used = 0;
    }
    panel.push(...items);
    used += height;
  };
  for (const group of chart.groups) {
    group.rows.forEach((row, r) => {
      const heading: ChartItem[] = r === 0 && group.label ? [{ kind: 'group', label: group.label }] : [];
      add([...heading, { kind: 'row', row }], rowHeight + (heading.length ? GROUP_HEIGHT : 0));
    });
  }
  if (panel.length > 0) panels.push(panel);
  return panels;
}

/** The x axis under each panel: line, ticks and their labels as text (same fonts as the page, selectable). */
function Axis({ chart }: { chart: ChartModel }) {
  return (
    <>
      <View style={styles.chartRow}>
        <Text style={styles.chartLabel}> </Text>
        <Svg width={PLOT_WIDTH} height={16}>
          <Line x1={0} x2={PLOT_WIDTH} y1={0.5} y2={0.5} stroke={INK} strokeWidth={0.6} />
          {chart.ticks.map((tick) => (
            <Line key={tick.value} x1={x(chart, tick.value)} x2={x(chart, tick.value)} y1={0.5} y2={3.5} stroke={INK} strokeWidth={0.6} />
          ))}
        </Svg>
      </View>
      <View style={{ flexDirection: 'row', marginTop: -9, height: 10 }}>
        {chart.ticks.map((tick) => (
          <Text key={tick.value} style={{ position: 'absolute', left: 112 + x(chart, tick.value) - 15, width: 30, textAlign: 'center', fontSize: 7, color: MUTED }}>
            {tick.label}
          </Text>
        ))}
      </View>
      <Text style={{ marginLeft: 112, width: PLOT_WIDTH, textAlign: 'center', fontSize: 7, color: MUTED, marginTop: 2 }}>{chart.axisLabel}</Text>
    </>
  );
}

function Legend({ chart }: { chart: ChartModel }) {
  if (chart.legend.length === 0 && !chart.benchmark) return null;
  return (
    <View style={styles.legend}>
      {chart.legend.map((item) => (
        <View key={item.label} style={styles.legendItem}>
          <Svg width={16} height={8}>
            <Line x1={1} x2={15} y1={4} y2={4} stroke={TONES[item.tone]} strokeWidth={1.4} />
            <Circle cx={8} cy={4} r={2.6} fill={TONES[item.tone]} />
          </Svg>
          <Text style={{ marginLeft: 3 }}>{item.label}</Text>
        </View>
      ))}
      {chart.benchmark ? (
        <View style={styles.legendItem}>
          <Svg width={16} height={8}>
            <Line x1={8} x2={8} y1={0} y2={8} stroke={INK} strokeWidth={0.8} strokeDasharray="3 2" />
          </Svg>
          <Text style={{ marginLeft: 3 }}>{chart.benchmark.label}</Text>
        </View>
      ) : null}
    </View>
  );
}

function Chart({ chart }: { chart: ChartModel }) {
  const rowCount = chart.groups.reduce((sum, g) => sum + g.rows.length, 0);
  const height = rowCount > 40 ? 9 : 13;
  const panels = chartPanels(chart, height);
  return (
    <View style={styles.section}>
      {panels.map((panel, p) => (
        // Each panel (the title on the first; rows, its own axis; the legend and note on the last) is one unbreakable
        // block, so neither the title nor an axis is left alone on a page.
        <View key={p} wrap={false} style={p > 0 ? { marginTop: 8 } : undefined}>
          {p === 0 ? <Text style={styles.h2}>{chart.title}</Text> : null}
          {panel.map((item, i) =>
            item.kind === 'group' ? (
              <View key={i} style={styles.chartRow}>
                <Text style={[styles.chartLabel, styles.chartGroup]}>{item.label}</Text>
                <Svg width={PLOT_WIDTH} height={GROUP_HEIGHT}>
                  <Grid chart={chart} height={GROUP_HEIGHT} />
                </Svg>
              </View>
            ) : (
              <ChartStrip key={i} chart={chart} row={item.row} height={height} />
            ),
          )}
          <Axis chart={chart} />
          {p === panels.length - 1 ? (
            <>
              <Legend chart={chart} />
              <Text style={styles.note}>{chart.note}</Text>
            </>
          ) : null}
        </View>
      ))}
    </View>
  );
}

function Findings({ findings }: { findings: FindingsModel }) {
  const widths = ['46%', '16%', '26%', '12%'];
  return (
    <View style={styles.section}>
      <Text style={styles.h2} minPresenceAhead={80}>
        {findings.title}
      </Text>
      <Text style={styles.lead}>{findings.lead}</Text>
      {findings.models.map((model, m) => (
        <View key={m} style={{ marginBottom: 8 }}>
          <Text style={styles.methodsTitle}>{model.heading}</Text>
          {model.sentence ? <Text style={styles.lead}>{model.sentence}</Text> : null}
          <View style={styles.table}>
            <View style={styles.headerRow}>
              {findings.header.map((h, i) => (
                <Text key={i} style={[styles.headerCell, { width: widths[i] }]}>
                  {h}
                </Text>
              ))}
            </View>
            {model.rows.map((row, r) => (
              <View key={r} style={styles.row} wrap={false}>
                {row.map((value, i) => (
                  <Text key={i} style={[styles.labelCell, { width: widths[i], fontSize: 8 }]}>
                    {value}
                  </Text>
                ))}
              </View>
            ))}
          </View>
        </View>
      ))}
    </View>
  );
}

export function BriefingDocument({ model }: { model: BriefingModel }) {
  const creationDate = new Date(`${model.date}T00:00:00Z`);
  const page = (pageNumber: number, totalPages: number) => model.footer.pageTemplate.replace('{page}', String(pageNumber)).replace('{total}', String(totalPages));
  return (
    <Document
      title={model.meta.title}
      subject={model.meta.subject}
      author={model.meta.author}
      keywords={model.meta.keywords}
      creator={model.cover.eyebrow}
      producer="react-pdf"
      language={model.locale === 'zh' ? 'zh-CN' : 'en-GB'}
      creationDate={creationDate}
      modificationDate={creationDate}
    >
      <Page size="A4" style={[styles.page, { fontFamily: fontStack() }]}>
        <View style={styles.runningHead} fixed>
          <Text render={({ pageNumber }) => (pageNumber > 1 ? model.cover.eyebrow : ' ')} />
          <Text render={({ pageNumber }) => (pageNumber > 1 ? `${model.cover.title} · ${model.cover.subtitle}` : ' ')} />
        </View>
        <View style={styles.footer} fixed>
          <Text style={[styles.footerNotice, model.footer.synthetic ? styles.footerSynthetic : {}]}>{model.footer.notice}</Text>
        </View>
        <Text style={styles.pageNumber} fixed render={({ pageNumber, totalPages }) => page(pageNumber, totalPages)} />

        <Text style={styles.eyebrow}>{model.cover.eyebrow}</Text>
        <Text style={styles.title}>{model.cover.title}</Text>
        <Text style={styles.subtitle}>{model.cover.subtitle}</Text>
        <View style={styles.facts}>
          {model.cover.facts.map((fact, i) => (
            <View key={i} style={styles.factRow}>
              <Text style={styles.factLabel}>{fact.label}</Text>
              <Text style={styles.factValue}>{fact.value}</Text>
            </View>
          ))}
        </View>
        <View style={styles.summary} wrap={false}>
          <Text style={styles.summaryTitle}>{model.cover.summaryTitle}</Text>
          {model.cover.summary.map((line, i) => (
            <View key={i} style={styles.bulletRow}>
              <Text style={styles.bullet}>•</Text>
              <Text style={styles.bulletText}>{line}</Text>
            </View>
          ))}
        </View>
        <Table table={model.headline} labelWidth={model.breakdown ? 130 : 92} />

        <View break>
          <Chart chart={model.chart} />
        </View>
        {model.breakdown ? <Table table={model.breakdown} labelWidth={100} /> : null}
        {model.equity ? <Table table={model.equity} labelWidth={100} /> : null}
        {model.findings ? <Findings findings={model.findings} /> : null}

        <View break>
          <Text style={styles.h2}>{model.methods.title}</Text>
          {model.methods.sections.map((section) => (
            <View key={section.title} wrap={false}>
              <Text style={styles.methodsTitle}>{section.title}</Text>
              <Text style={styles.methodsBody}>{section.body}</Text>
            </View>
          ))}
          <Text style={styles.methodsTitle}>{model.methods.indicatorsTitle}</Text>
          {model.methods.indicators.map((item) => (
            <View key={item.label} style={styles.indicatorRow} wrap={false}>
              <Text style={{ width: 150, fontWeight: 'bold' }}>{item.label}</Text>
              <Text style={{ flex: 1, color: MUTED }}>{item.text}</Text>
            </View>
          ))}
        </View>
      </Page>
    </Document>
  );
}
