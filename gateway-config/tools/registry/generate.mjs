#!/usr/bin/env node
// Generates the node registry of Archives Gateway from the GB/T 2260 division list.
//
//   node generate.mjs [--check] [path/to/divisions-yrd.csv]
//
// Writes, relative to this script:
//   ../../registry/nodes.json  every archive of the registry (placeholder addresses)
//   ../../local/nodes.json     the 15 nodes of the local federation (loopback ports 5301..5315)
// With --check nothing is written; the exit code is 1 when a file differs from what the
// generator would write (for CI: "did someone edit the output by hand or forget to regenerate?").
//
// The default CSV is the shared/ folder beside the repository:
// <repo>/gateway-config/tools/registry/../../../../shared/data/divisions-yrd.csv
//
// Output is deterministic: the same CSV gives byte-identical files (no clock, no randomness,
// categories come from a hash of the division code, keys in a fixed order).

import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pinyin } from 'pinyin-pro';

const scriptDir = dirname(fileURLToPath(import.meta.url));
const defaultCsv = resolve(scriptDir, '../../../../shared/data/divisions-yrd.csv');
const registryOut = resolve(scriptDir, '../../registry/nodes.json');
const localOut = resolve(scriptDir, '../../local/nodes.json');

// ---------------------------------------------------------------------------------------------
// Record categories, in their canonical order (the order used in the `categories` metadata).
export const CATEGORIES = [
  ['marriage', '婚姻登记'],
  ['educated-youth', '知青'],
  ['military-service', '兵役/退伍'],
  ['adoption', '收养'],
  ['employment', '招工/职工'],
  ['school', '学籍'],
  ['land-contract', '土地承包'],
  ['one-child', '独生子女'],
];
const CATEGORY_CODES = CATEGORIES.map(([code]) => code);

// ---------------------------------------------------------------------------------------------
// Romanisation.
//
// The converter (pinyin-pro) reads each character, using its own word list for context. Place
// names keep many old or local readings that it gets wrong, so every place name whose reading
// is polyphonic or known to be mis-read is pinned here: the value is the syllables, space
// separated, toneless; " | " separates words that stay apart in English. The key is the name
// with its suffix (省/市/区/县/自治县/新区) removed. An entry wins over the converter.
export const PINYIN_OVERRIDES = {
  // Corrections: pinyin-pro 3.29.4 reads these wrongly.
  '乐清': 'yue qing', // 乐 yuè here, not lè
  '闵行': 'min hang', // 行 háng
  '六合': 'lu he', // 六 lù (Nanjing)
  '盐都': 'yan du', // 都 dū
  '江都': 'jiang du',
  '莲都': 'lian du',
  '涡阳': 'guo yang', // 涡 guō
  '蚌山': 'beng shan', // 蚌 bèng, as in 蚌埠
  '歙': 'she', // 歙县 Shè
  '景宁畲族': 'jing ning | she', // Jingning She (the She people); 族 "zu" is not translated
  // Pinned: the converter is right today, but the characters are polyphonic or rare.
  '长兴': 'chang xing',
  '长宁': 'chang ning',
  '长丰': 'chang feng',
  '嵊州': 'sheng zhou',
  '嵊泗': 'sheng si',
  '丽水': 'li shui',
  '六安': 'lu an',
  '蚌埠': 'beng bu',
  '亳州': 'bo zhou',
  '泰顺': 'tai shun',
  '东阳': 'dong yang',
  '兰溪': 'lan xi',
  '婺城': 'wu cheng',
  '衢州': 'qu zhou',
  '衢江': 'qu jiang',
  '柯城': 'ke cheng',
  '柯桥': 'ke qiao',
  '鄞州': 'yin zhou',
  '镇海': 'zhen hai',
  '缙云': 'jin yun',
  '天台': 'tian tai',
  '台州': 'tai zhou',
  '黄岩': 'huang yan',
  '椒江': 'jiao jiang',
  '上虞': 'shang yu',
  '海曙': 'hai shu',
  '拱墅': 'gong shu',
  '南浔': 'nan xun',
  '嘉善': 'jia shan',
  '瓯海': 'ou hai',
  '枞阳': 'zong yang',
  '洪泽': 'hong ze',
  '盱眙': 'xu yi',
  '邳州': 'pi zhou',
  '睢宁': 'sui ning',
  '濉溪': 'sui xi',
  '句容': 'ju rong',
  '射阳': 'she yang',
  '宿州': 'su zhou',
  '宿迁': 'su qian',
  '宿松': 'su song',
  '相城': 'xiang cheng',
  '虹口': 'hong kou',
  '栖霞': 'qi xia',
  '大丰': 'da feng',
  '田家庵': 'tian jia an',
  '埇桥': 'yong qiao',
  '黟': 'yi',
  '泾': 'jing',
};

// Suffix → English unit word. Longest first; 新区 (Pudong) is a "New Area", not a district.
const UNIT_SUFFIXES = [
  ['自治县', 'Autonomous County'],
  ['新区', 'New Area'],
  ['区', 'District'],
  ['县', 'County'],
  ['市', 'City'],
];

/** Toneless syllables → "Xihu", "Chun'an", "Tianjia'an" (apostrophe before a/o/e inside a word). */
export function joinSyllables(syllables) {
  return syllables
    .map((s, i) => {
      if (!/^[a-z]+$/.test(s)) {
        throw new Error(`unexpected syllable "${s}" in [${syllables.join(' ')}]: add an override`);
      }
      const word = i === 0 ? s[0].toUpperCase() + s.slice(1) : s;
      return i > 0 && /^[aoe]/.test(s) ? `'${word}` : word;
    })
    .join('');
}

/** Romanises a place name with its suffix already removed. */
export function romanise(base) {
  const pinned = PINYIN_OVERRIDES[base];
  if (pinned) {
    return pinned
      .split(' | ')
      .map((word) => joinSyllables(word.split(' ')))
      .join(' ');
  }
  const syllables = pinyin(base, { toneType: 'none', type: 'array', v: true });
  if (syllables.length !== [...base].length) {
    throw new Error(`pinyin-pro gave ${syllables.length} syllables for "${base}"`);
  }
  return joinSyllables(syllables);
}

function splitSuffix(name) {
  for (const [suffix, unit] of UNIT_SUFFIXES) {
    if (name.endsWith(suffix) && name.length > suffix.length) {
      return { base: name.slice(0, -suffix.length), suffix, unit };
    }
  }
  throw new Error(`no known suffix on county-level unit "${name}"`);
}

// ---------------------------------------------------------------------------------------------
// Categories held: a deterministic choice from the division code.
//
// h(s) is 32-bit FNV-1a over the UTF-8 bytes of s. For a node with code C:
//   - how many optional categories it holds: min + h(C) mod (max - min + 1);
//   - which ones: the optional categories sorted by h(C + "/" + category), lowest first.
// Provincial archives hold all eight. City archives hold marriage, educated-youth and
// employment plus 3 to 5 of the other five (6 to 8 in all). County-level archives hold
// marriage and land-contract plus 2 to 5 of the other six; Shanghai's districts are urban
// and hold no rural land contracts.
export function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function categoriesFor(code, level, province) {
  if (level === 'province') return [...CATEGORY_CODES];
  const urban = level === 'county' && province === '31';
  const { mandatory, excluded, minOptional, maxOptional } =
    level === 'city'
      ? { mandatory: ['marriage', 'educated-youth', 'employment'], excluded: [], minOptional: 3, maxOptional: 5 }
      : urban
        ? { mandatory: ['marriage'], excluded: ['land-contract'], minOptional: 2, maxOptional: 5 }
        : { mandatory: ['marriage', 'land-contract'], excluded: [], minOptional: 2, maxOptional: 5 };
  const optional = CATEGORY_CODES.filter((c) => !mandatory.includes(c) && !excluded.includes(c));
  const count = minOptional + (fnv1a(code) % (maxOptional - minOptional + 1));
  const chosen = optional
    .map((c) => ({ c, rank: fnv1a(`${code}/${c}`) }))
    .sort((a, b) => a.rank - b.rank || (a.c < b.c ? -1 : 1))
    .slice(0, count)
    .map(({ c }) => c);
  const held = new Set([...mandatory, ...chosen]);
  return CATEGORY_CODES.filter((c) => held.has(c));
}

// ---------------------------------------------------------------------------------------------
// CSV

export function readDivisions(csvPath) {
  const text = readFileSync(csvPath, 'utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines[0] !== 'code,name,level,parent') {
    throw new Error(`${csvPath}: expected header "code,name,level,parent", got "${lines[0]}"`);
  }
  const byCode = new Map();
  for (const [i, line] of lines.slice(1).entries()) {
    const fields = line.split(',');
    if (fields.length !== 4) throw new Error(`${csvPath}:${i + 2}: expected 4 fields`);
    const [code, name, level, parent] = fields.map((f) => f.trim());
    if (!/^\d{6}$/.test(code)) throw new Error(`${csvPath}:${i + 2}: bad code "${code}"`);
    if (!['province', 'city', 'county'].includes(level)) {
      throw new Error(`${csvPath}:${i + 2}: bad level "${level}"`);
    }
    if (byCode.has(code)) throw new Error(`${csvPath}:${i + 2}: duplicate code ${code}`);
    byCode.set(code, { code, name, level, parent: parent || null });
  }
  for (const d of byCode.values()) {
    if (d.parent && !byCode.has(d.parent)) {
      throw new Error(`${csvPath}: ${d.code} has unknown parent ${d.parent}`);
    }
  }
  return byCode;
}

// Shanghai's prefecture level is the placeholder 市辖区 (310100): not an archive; its districts
// belong to the municipality.
const PLACEHOLDER_NAME = '市辖区';

function effectiveParent(byCode, d) {
  const parent = d.parent ? byCode.get(d.parent) : null;
  if (parent && parent.name === PLACEHOLDER_NAME) return byCode.get(parent.parent);
  return parent;
}

// ---------------------------------------------------------------------------------------------
// Nodes

/** Which CSV units are archives in the registry. */
function inRegistry(byCode, d) {
  if (d.name === PLACEHOLDER_NAME) return false;
  const province = d.code.slice(0, 2);
  if (d.level === 'province') return ['31', '32', '33', '34'].includes(province);
  if (d.level === 'city') return ['32', '33', '34'].includes(province);
  // County level: every Zhejiang unit and every Shanghai district; partner provinces'
  // county-level archives are not federated yet.
  return province === '33' || province === '31';
}

export function describe(byCode, d) {
  const province = d.code.slice(0, 2);
  const provinceUnit = byCode.get(`${province}0000`);
  let nameZh;
  let nameEn;
  if (d.level === 'province') {
    nameZh = `${d.name}档案馆`;
    const base = d.name.replace(/[省市]$/, '');
    nameEn = d.name.endsWith('市')
      ? `${romanise(base)} Municipal Archives`
      : `${romanise(base)} Provincial Archives`;
  } else if (d.level === 'city') {
    nameZh = `${d.name}档案馆`;
    nameEn = `${romanise(d.name.replace(/市$/, ''))} Municipal Archives`;
  } else {
    const city = effectiveParent(byCode, d);
    const { base, suffix, unit } = splitSuffix(d.name);
    const isDistrict = suffix === '区' || suffix === '新区';
    // A district's archive is named after its city (杭州市西湖区档案馆, "…, Hangzhou"); county
    // and county-level city archives by their own name (淳安县档案馆, 建德市档案馆).
    nameZh = isDistrict ? `${city.name}${d.name}档案馆` : `${d.name}档案馆`;
    const cityEn = romanise(city.name.replace(/[市省]$/, ''));
    nameEn = isDistrict
      ? `${romanise(base)} ${unit} Archives, ${cityEn}`
      : `${romanise(base)} ${unit} Archives`;
  }
  return {
    code: d.code,
    level: d.level,
    nameZh,
    nameEn,
    province,
    provinceEn: romanise(provinceUnit.name.replace(/[省市]$/, '')),
    categories: categoriesFor(d.code, d.level, province),
  };
}

/** Two archives must not share an English name: 台州/泰州 are both Taizhou, 苏州/宿州 Suzhou. */
function disambiguate(nodes) {
  const groups = new Map();
  for (const n of nodes) groups.set(n.nameEn, [...(groups.get(n.nameEn) ?? []), n]);
  for (const group of groups.values()) {
    if (group.length > 1) for (const n of group) n.nameEn = `${n.nameEn}, ${n.provinceEn}`;
  }
  const seen = new Set();
  for (const n of nodes) {
    if (seen.has(n.nameEn)) throw new Error(`duplicate English name "${n.nameEn}"`);
    seen.add(n.nameEn);
  }
}

function cluster(node, address, healthInterval) {
  return {
    LoadBalancingPolicy: 'PowerOfTwoChoices',
    HealthCheck: {
      Active: {
        Enabled: true,
        Interval: healthInterval,
        Timeout: '00:00:03',
        Policy: 'ConsecutiveFailures',
        Path: '/health/ready',
      },
      Passive: {
        Enabled: true,
        Policy: 'TransportFailureRate',
        ReactivationPeriod: '00:00:30',
      },
    },
    HttpRequest: { ActivityTimeout: '00:00:30' },
    Destinations: { primary: { Address: address } },
    Metadata: {
      divisionCode: node.code,
      level: node.level,
      nameZh: node.nameZh,
      nameEn: node.nameEn,
      province: node.province,
      categories: node.categories.join(','),
    },
  };
}

function render(nodes, addressOf, healthInterval) {
  // Cluster ids are six-digit strings, which JavaScript objects keep in ascending numeric
  // order; nodes are sorted by code anyway so the file order never depends on that rule.
  const clusters = {};
  for (const n of [...nodes].sort((a, b) => (a.code < b.code ? -1 : 1))) {
    clusters[n.code] = cluster(n, addressOf(n), healthInterval);
  }
  return `${JSON.stringify({ ReverseProxy: { Clusters: clusters } }, null, 2)}\n`;
}

// The local federation: the Zhejiang provincial archives, its 11 city archives, and the three
// partner provincial archives, on loopback ports 5301 upward in that order. The launcher
// (src/Archives.Local) starts one node per cluster of local/nodes.json on the port of its address.
const LOCAL_FIRST_PORT = 5301;
const LOCAL_NODE_COUNT = 15;

export function build(csvPath) {
  const byCode = readDivisions(csvPath);
  const selected = [...byCode.values()]
    .filter((d) => inRegistry(byCode, d))
    .sort((a, b) => (a.code < b.code ? -1 : 1));
  const nodes = selected.map((d) => describe(byCode, d));
  disambiguate(nodes);

  const registry = render(
    nodes,
    (n) => `https://node-${n.code}.archives.example/`,
    '00:00:10',
  );

  const localNodes = [
    ...nodes.filter((n) => n.province === '33' && n.level !== 'county'),
    ...nodes.filter((n) => n.province !== '33' && n.level === 'province'),
  ];
  if (localNodes.length !== LOCAL_NODE_COUNT) {
    throw new Error(
      `local federation has ${localNodes.length} nodes, expected ${LOCAL_NODE_COUNT}: ` +
        'the division list changed; ports are assigned in order, so check the launcher and demo data',
    );
  }
  const port = new Map(localNodes.map((n, i) => [n.code, LOCAL_FIRST_PORT + i]));
  const local = render(localNodes, (n) => `http://127.0.0.1:${port.get(n.code)}/`, '00:00:05');

  return { nodes, registry, local };
}

function main(argv) {
  const check = argv.includes('--check');
  const positional = argv.filter((a) => !a.startsWith('--'));
  const csvPath = resolve(positional[0] ?? defaultCsv);
  const { nodes, registry, local } = build(csvPath);

  const outputs = [
    [registryOut, registry],
    [localOut, local],
  ];
  if (check) {
    const stale = outputs.filter(
      ([file, text]) => !existsSync(file) || readFileSync(file, 'utf8') !== text,
    );
    for (const [file] of stale) console.error(`out of date: ${file}`);
    if (stale.length > 0) {
      console.error('run: node gateway-config/tools/registry/generate.mjs');
      process.exit(1);
    }
    console.log(`up to date (${nodes.length} nodes)`);
    return;
  }
  for (const [file, text] of outputs) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text, 'utf8');
  }
  console.log(`wrote ${nodes.length} nodes to ${registryOut}`);
  console.log(`wrote ${LOCAL_NODE_COUNT} nodes to ${localOut}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
