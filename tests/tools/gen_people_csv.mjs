#!/usr/bin/env node
// Writes a CSV of made-up residents in the shape community sheets have, for import tests and
// the import benchmark. Seeded, so the same arguments give the same file.
//
//   node tests/tools/gen_people_csv.mjs --rows 100000 [--seed 7] [--bad 0] [--out FILE]
//
// Every ID number is a valid 18-digit 居民身份证 number (GB 11643 check character, a real
// birth date, the sex digit matching the sex column) and unique within the file; phones are
// unique valid mobile numbers. --bad N turns N evenly spaced rows into rejects (a wrong check
// character). Columns: 姓名,身份证号,性别,出生日期,手机,政治面貌,特长,兴趣,备注
import fs from 'node:fs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const rows = Number(args.rows ?? 1000);
const bad = Number(args.bad ?? 0);
let seed = Number(args.seed ?? 7) >>> 0 || 7;

// xorshift32: small, seeded, good enough for test data.
function rand() {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed / 4294967296;
}
const pick = (a) => a[Math.floor(rand() * a.length)];

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split('');
const GIVEN = '秀英桂芳玉兰华明建国志强军伟丽敏静磊洋勇艳杰娟涛超霞平刚桂英文辉斌鹏宇浩凯红梅琴云飞燕萍鑫雪峰波亮俊婷成林宏海东'.split('');
const REGIONS = ['410102', '410103', '410104', '410105', '410106', '410108', '410122', '410181', '410182', '410183'];
const POLITICAL = ['中共党员', '中共预备党员', '共青团员', '群众', '群众', '群众', '无党派人士', '民盟盟员', ''];
const SKILLS = ['理发', '按摩', '修家电', '书法', '绘画', '唱歌', '跳舞', '太极拳', '法律咨询', '医疗护理', '心理疏导', '电脑维修', '烹饪', '摄影', '英语'];
const INTERESTS = ['读书', '下棋', '广场舞', '戏曲', '钓鱼', '园艺', '旅游', '手工'];
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

function checkChar(d17) {
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(d17[i]) * W[i];
  return '10X98765432'[s % 11];
}

const pad = (n, w) => String(n).padStart(w, '0');
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (y) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function row(i) {
  const y = 1935 + Math.floor(rand() * 70);
  const m = 1 + Math.floor(rand() * 12);
  const d = 1 + Math.floor(rand() * (m === 2 && leap(y) ? 29 : DAYS[m - 1]));
  const male = rand() < 0.5;
  // Sequence digits: unique per row (i spread over region and sequence), sex in the last one.
  const region = REGIONS[i % REGIONS.length];
  const seq = Math.floor(i / REGIONS.length) % 50; // 0..49
  const d17 = `${region}${y}${pad(m, 2)}${pad(d, 2)}${pad(seq, 2)}${male ? pick([1, 3, 5, 7, 9]) : pick([0, 2, 4, 6, 8])}`;
  let id = d17 + checkChar(d17);
  const name = pick(SURNAMES) + pick(GIVEN) + (rand() < 0.6 ? pick(GIVEN) : '');
  const phone = `1${pick(['38', '39', '58', '59', '86', '87', '37', '50'])}${pad((i * 7919 + 13) % 100000000, 8)}`;
  const skills = Array.from(new Set(Array.from({ length: Math.floor(rand() * 3) }, () => pick(SKILLS)))).join('、');
  const interests = rand() < 0.5 ? pick(INTERESTS) : '';
  if (bad && i % Math.max(1, Math.floor(rows / bad)) === 1) {
    id = d17 + (checkChar(d17) === '0' ? '1' : '0'); // wrong check character
  }
  return [name, id, male ? '男' : '女', `${y}-${pad(m, 2)}-${pad(d, 2)}`, phone, pick(POLITICAL), skills, interests, ''];
}

const lines = ['姓名,身份证号,性别,出生日期,手机,政治面貌,特长,兴趣,备注'];
const seenIds = new Set();
for (let i = 0; i < rows; i++) {
  let r = row(i);
  while (seenIds.has(r[1].slice(0, 17))) r = row(i); // redraw the rare collision
  seenIds.add(r[1].slice(0, 17));
  lines.push(r.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(','));
}
const text = lines.join('\r\n') + '\r\n';
if (args.out) fs.writeFileSync(args.out, text);
else process.stdout.write(text);
