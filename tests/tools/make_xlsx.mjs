#!/usr/bin/env node
// Writes a small .xlsx file the way Excel lays it out (workbook, relationships, shared strings,
// one sheet), without any npm package: a few XML parts in a ZIP made with node's zlib.
//
//   node tests/tools/make_xlsx.mjs [OUT]       # default tests/fixtures/people.xlsx
//
// The fixture holds what the importer must cope with: Chinese headers, shared strings (one
// of them rich text with a phonetic run that must be left out), an inline string, a phone
// stored as a number, a birth date stored as an Excel serial day, a skipped column, an empty
// row, and cells out of their usual order. import.test.mjs and test_xlsx.c read it.
// The rows (ID numbers are valid GB 11643 numbers made up for the test):
//   row 1  姓名 | 身份证号 | 性别 | 出生日期 | 手机 | (empty) | 特长
//   row 2  张秀英 | 410105195003070028 | 女 | 18329 (=1950-03-07) | 13812345678 | | 理发、按摩
//   row 3  施 杰 (rich text, phonetic "shi jie") | 410104196511200018 | 男 | 1965-11-20 | 139 0000 1111 | | 修家电
//   row 4  (empty row, skipped)
//   row 5  李明 | 41010519491231059x (inline string, lower-case x) | 男 | | | | 书法
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] || path.join(here, '..', 'fixtures', 'people.xlsx');

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A ZIP archive of {name, data} entries, deflated, with fixed timestamps (reproducible). */
export function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const raw = Buffer.from(data);
    const comp = zlib.deflateRawSync(raw);
    const nameBuf = Buffer.from(name, 'utf8');
    const crc = crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x5821, 12); // date 2024-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(comp.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x5821, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(comp.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, comp);
    centrals.push(central, nameBuf);
    offset += local.length + nameBuf.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * An .xlsx with one sheet. rows: [{r, cells: [{ref, s|n|inline}]}]; strings: shared strings,
 * each plain text or raw <si> inner XML ({xml}).
 */
export function xlsx(rows, strings) {
  const sst = strings.map((s) => (typeof s === 'string' ? `<si><t>${esc(s)}</t></si>` : `<si>${s.xml}</si>`));
  const sheetRows = rows
    .map(({ r, cells }) => {
      const cs = cells
        .map((c) => {
          if (c.s !== undefined) return `<c r="${c.ref}" t="s"><v>${c.s}</v></c>`;
          if (c.inline !== undefined) return `<c r="${c.ref}" t="inlineStr"><is><t>${esc(c.inline)}</t></is></c>`;
          return `<c r="${c.ref}"><v>${c.n}</v></c>`;
        })
        .join('');
      return `<row r="${r}">${cs}</row>`;
    })
    .join('');
  const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rns = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  return zip([
    {
      name: '[Content_Types].xml',
      data:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' +
        '</Types>',
    },
    {
      name: '_rels/.rels',
      data:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
        '</Relationships>',
    },
    {
      name: 'xl/workbook.xml',
      data:
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="${ns}" xmlns:r="${rns}">` +
        '<sheets><sheet name="居民名单" sheetId="1" r:id="rId1"/></sheets></workbook>',
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' +
        '</Relationships>',
    },
    {
      name: 'xl/sharedStrings.xml',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="${ns}" count="${sst.length}" uniqueCount="${sst.length}">${sst.join('')}</sst>`,
    },
    {
      name: 'xl/worksheets/sheet1.xml',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="${ns}"><sheetData>${sheetRows}</sheetData></worksheet>`,
    },
  ]);
}

function fixture() {
  const strings = [
    '姓名', '身份证号', '性别', '出生日期', '手机', '特长', // 0..5
    '张秀英', '410105195003070028', '女', '理发、按摩', // 6..9
    { xml: '<r><t>施</t></r><r><t xml:space="preserve"> 杰</t></r><rPh sb="0" eb="2"><t>shi jie</t></rPh>' }, // 10
    '410104196511200018', '男', '1965-11-20', '139 0000 1111', '修家电', '李明', '书法', // 11..17
  ];
  const rows = [
    { r: 1, cells: [{ ref: 'A1', s: 0 }, { ref: 'B1', s: 1 }, { ref: 'C1', s: 2 }, { ref: 'D1', s: 3 }, { ref: 'E1', s: 4 }, { ref: 'G1', s: 5 }] },
    { r: 2, cells: [{ ref: 'A2', s: 6 }, { ref: 'B2', s: 7 }, { ref: 'C2', s: 8 }, { ref: 'D2', n: 18329 }, { ref: 'E2', n: 13812345678 }, { ref: 'G2', s: 9 }] },
    { r: 3, cells: [{ ref: 'A3', s: 10 }, { ref: 'C3', s: 12 }, { ref: 'B3', s: 11 }, { ref: 'D3', s: 13 }, { ref: 'E3', s: 14 }, { ref: 'G3', s: 15 }] },
    { r: 4, cells: [] },
    { r: 5, cells: [{ ref: 'A5', s: 16 }, { ref: 'B5', inline: '41010519491231059x' }, { ref: 'C5', s: 12 }, { ref: 'G5', s: 17 }] },
  ];
  return xlsx(rows, strings);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, fixture());
  console.log(`wrote ${out}`);
}
