// Which characters the briefing PDFs can set: Latin text comes from the embedded Noto Sans subset
// (briefing-latin*.ttf), everything else from the embedded Chinese subset. Shared by the font build scripts and tests.

// WinAnsiEncoding beyond Latin-1 (typographic quotes, dashes, bullet, ellipsis).
const LATIN_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';

/** Every character the Latin subset carries: printable ASCII, Latin-1 and LATIN_EXTRA. */
export function latinFontCharacters(): string {
  let characters = '';
  for (let code = 0x20; code <= 0x7e; code++) characters += String.fromCodePoint(code);
  for (let code = 0xa0; code <= 0xff; code++) characters += String.fromCodePoint(code);
  return characters + LATIN_EXTRA;
}

const LATIN = new Set(latinFontCharacters());

/** True when the Latin subset has the character, so the Chinese subset need not carry it. */
export function isLatinFontCharacter(character: string): boolean {
  return LATIN.has(character);
}

/** Characters that must come from the Chinese subset: everything in the text that the Latin subset cannot draw. */
export function charactersNeedingEmbeddedFont(texts: Iterable<string>): string[] {
  const needed = new Set<string>();
  for (const text of texts) {
    for (const character of text) {
      if (character === '\n' || character === '\t') continue;
      if (!isLatinFontCharacter(character)) needed.add(character);
    }
  }
  return [...needed].sort();
}
// Common CJK punctuation and symbols used in Chinese statistical writing.
export const CJK_PUNCTUATION = '，。、；：？！“”‘’（）《》〈〉【】「」『』—…·～％＋－×÷±≤≥≈≠＜＞／０１２３４５６７８９〇';

// A few hundred of the most frequent hanzi (general and statistical usage), so that an imported dataset's label,
// a model note or a future message still renders without regenerating the font in most cases.
export const COMMON_HANZI =
  '的一是不了在人有我他这个们中来上大为和国地到以说时要就出也得里后自会家可下而过天去能对小多然于心学么之都好看起发当没成只如事把还用第样道想作种开美总从无情己面最女但现前些所同日手又行意动方期它头经长儿回位分爱老因很给名法间知世什两次使身者被高已亲其进此话常与活正感见明问力理点文几定本公特做外孩相西果走将月十实向声车全信重三机工物气每并别真打太新比才便夫再书部水像眼等体却加电主界门利海受听表德少克代员许先口由死安写性马光白或住难望教命花结乐色更拉东神记处让母父应直字场平报友关放至张认接告入笑内英军候民岁往何度山觉路带万男边风解叫任金快原吃妈变通师立象数四失满战远格士音轻目条呢病始达深完今提求清王化空业思切怎非找片罗钱吗语元喜曾离飞科言干流欢约各即指合反题必该论交终林请医晚制球决传画保读运及则房早院量苦火布品近坐产答星精视五连司巴奇管类未朋且婚台夜青北队久乎越观落尽形影红爸百令周吧识步希亚术留市半热送兴造谈容极随演收首根讲整式取照办强石古华拿计您装似足双妻尼转诉米称丽客南领节衣站黑刻统断福城故历惊脸选包紧争另建维绝树系伤示愿持千史谁准联妇纪基买志静阿诗独复痛消社算义竟确酒需单治卡幸兰念举仅钟怕共毛句息功官待究跟穿室易游程号居考突皮哪费倒价图具刚脑永歌响商礼细专黄块脚味灵改据般破引食仍存众注笔甚某沉血备习校默务土微娘须试怀料调广苏显赛查密议底列富梦错座参八除跑亮假印设线温虽掉京初养香停际致阳纸李纳验助激够严证帝饭忘趣支春集丈木研班普导顿睡展跳获艺六波察群皇段急庭创区奥器谢弟店否害草排背止组州朝封睛板角况曲馆育忙质河续哥呼若推境遇雨标姐充围案伦护冷警贝著雪索剧啊船险烟依斗值帮汉慢佛肯闻唱沙局伯族低玩资屋击速顾泪洲团圣旁堂兵七露园牛哭旅街劳型烈姑陈莫鱼异抱宝权鲁简态级票怪寻杀律胜份汽右洋范床舞秘午登楼贵吸责例追较职属渐左录丝牙党继托赶章智冲叶胡吉卖坚喝肉遗救修松临藏担戏善卫药悲敢靠伊村戴词森耳差短祖云规窗散迷油旧适乡架恩投弹铁博雷府压超负勒杂醒洗采毫嘴毕九冰既状乱景席珍童顶派素脱农疑练野按犯拍征坏骨余承置彩灯巨琴免环姆暗换技翻束增忍餐洛塞缺忆判欧层付阵玛批岛项狗休懂武革良恶恋委拥娜妙探呀营退摇弄桌熟诺宣银势奖宫忽套康供优课鸟喊降夏困刘罪亡鞋健模败伴守挥鲜财孤枪禁恐伙杰迹妹遍盖副坦牌江顺秋萨菜划授归浪凡预奶雄升编典袋莱含盛济蒙棋端腿招释介烧误' +
  '率均值估计误差区间样本量抽权重置信显著性检验回归系数模型城镇乡村户籍流动迁移跨省市县内居留融合身份认同健康档案教育保险覆盖服务基本公共卫生委员会简报摘要附注说明方法数据来源定义指标合成演示调查监测报告页共占比例分层抽取整群设计泰勒线性化规则少于不予公布';
