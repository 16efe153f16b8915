// The thumbnail the way Firebase's Resize Images extension makes one with sharp: EXIF orientation
// applied, fit inside edge x edge, never enlarged, JPEG out. libvips shrinks JPEGs on load (the
// decoder's DCT scaling by 1/2, 1/4 or 1/8), which is what Cirrus's Thumbnailer is measured against.
// Usage: node index.js WARMUPS RUNS EDGE QUALITY OUTDIR FILE...
//   -> one line per file: "<file> <median ms> <w>x<h> <first run ms>"; the thumbnail itself is
//   written to OUTDIR/<file's name>.sharp.jpg, for the benchmark to compare with its own.
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import sharp from 'sharp';

const [warmups, runs, edge, quality, outdir, ...files] = process.argv.slice(2);

async function thumbnail(file) {
  return sharp(file, { failOn: 'error' })
    .rotate()
    .resize(Number(edge), Number(edge), { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: Number(quality) })
    .toBuffer({ resolveWithObject: true });
}

for (const file of files) {
  const t = process.hrtime.bigint();
  await thumbnail(file);
  const first = Number(process.hrtime.bigint() - t) / 1e6;
  for (let i = 1; i < Number(warmups); i++) {
    await thumbnail(file);
  }
  const times = [];
  let info;
  let data;
  for (let i = 0; i < Number(runs); i++) {
    const t0 = process.hrtime.bigint();
    ({ info, data } = await thumbnail(file));
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  await writeFile(join(outdir, basename(file) + '.sharp.jpg'), data);
  times.sort((a, b) => a - b);
  console.log(`${file} ${times[Math.floor(times.length / 2)].toFixed(1)} ${info.width}x${info.height} ${first.toFixed(1)}`);
}
