import sharp from 'sharp';
import { BouquetLook, FlowerKind, FlowerPalette, seedLookOf } from './catalog';

/**
 * Real JPEG "photos" of bouquets, drawn deterministically from the product id (the bouquet) and the
 * position (the camera: background, angle, zoom), so each product's photos are alike and distinct from others'.
 */
const SIZE = 400;

const PALETTES: Record<FlowerPalette, string[]> = {
  red: ['#c8102e', '#a50d25', '#e0343f', '#b3122d'],
  white: ['#f8f6f0', '#efece2', '#fffdf7', '#e9e6dc'],
  pink: ['#f4a6c0', '#e87ea1', '#f9c9d8', '#ec8fb0'],
  coral: ['#ff7f6a', '#f9967f', '#ee6a57', '#ffab91'],
  yellow: ['#ffd23f', '#f7c21b', '#ffe27a', '#f2b705'],
  orange: ['#ff8c1a', '#f57a00', '#ffa94d', '#e8690c'],
  purple: ['#8e5cc4', '#a77bd6', '#6f3fa8', '#c3a3e6'],
  blue: ['#5b8fd9', '#7aa7e6', '#4273c2', '#9dbdf0'],
  burgundy: ['#7b1e3a', '#8f2444', '#5e1329', '#9c3050'],
  cream: ['#f3e3c3', '#ead3a8', '#f8ecd4', '#dcc393'],
  mixed: ['#c8102e', '#ffd23f', '#f4a6c0', '#8e5cc4', '#ff8c1a', '#f8f6f0'],
};
const PALETTE_NAMES = Object.keys(PALETTES) as FlowerPalette[];
const KINDS: FlowerKind[] = ['rose', 'peony', 'tulip', 'daisy', 'hydrangea', 'lily', 'dried', 'mixed'];
const BACKGROUNDS = ['#e9eef2', '#f5efe6', '#dfe8df', '#ece4f0', '#f3e9e2', '#e2e6ee', '#faf7f0', '#d9e2e8'];
const WRAPS = ['#c9a27a', '#f1c6d3', '#2f2f33', '#fbfbf8', '#b9d3e8', '#d8c9f0', '#8c6b4f'];
const GREENS = ['#2e6b34', '#3f7d3a', '#56874b', '#7fa88a', '#4c7f63'];

/** mulberry32: tiny seeded PRNG, so a product always draws the same bouquet. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length) % list.length];
const f = (n: number): string => n.toFixed(1);

function flowerSvg(kind: FlowerKind, x: number, y: number, r: number, color: string, rand: () => number): string {
  const dark = 'rgba(0,0,0,0.22)';
  switch (kind) {
    case 'rose':
      return (
        `<circle cx="${f(x)}" cy="${f(y)}" r="${f(r)}" fill="${color}"/>` +
        `<circle cx="${f(x)}" cy="${f(y)}" r="${f(r * 0.65)}" fill="none" stroke="${dark}" stroke-width="${f(r * 0.12)}"/>` +
        `<circle cx="${f(x + r * 0.1)}" cy="${f(y - r * 0.05)}" r="${f(r * 0.3)}" fill="none" stroke="${dark}" stroke-width="${f(r * 0.1)}"/>`
      );
    case 'peony': {
      const petals = Array.from({ length: 7 }, (_, i) => {
        const a = (i / 7) * Math.PI * 2 + rand();
        return `<circle cx="${f(x + Math.cos(a) * r * 0.45)}" cy="${f(y + Math.sin(a) * r * 0.45)}" r="${f(r * 0.6)}" fill="${color}" stroke="${dark}" stroke-width="1"/>`;
      });
      return petals.join('') + `<circle cx="${f(x)}" cy="${f(y)}" r="${f(r * 0.4)}" fill="${color}" stroke="${dark}"/>`;
    }
    case 'tulip':
      return (
        `<ellipse cx="${f(x)}" cy="${f(y)}" rx="${f(r * 0.7)}" ry="${f(r)}" fill="${color}"/>` +
        `<path d="M${f(x - r * 0.7)} ${f(y - r * 0.2)} L${f(x - r * 0.35)} ${f(y - r * 1.05)} L${f(x)} ${f(y - r * 0.4)} L${f(x + r * 0.35)} ${f(y - r * 1.05)} L${f(x + r * 0.7)} ${f(y - r * 0.2)} Z" fill="${color}" stroke="${dark}"/>`
      );
    case 'daisy': {
      const petals = Array.from({ length: 12 }, (_, i) => {
        const deg = (i / 12) * 360;
        return `<ellipse cx="${f(x)}" cy="${f(y - r * 0.55)}" rx="${f(r * 0.18)}" ry="${f(r * 0.5)}" fill="${color}" transform="rotate(${deg} ${f(x)} ${f(y)})"/>`;
      });
      const centre = color === '#ffd23f' || color === '#f7c21b' || color === '#f2b705' ? '#4a2c12' : '#f2c12e';
      return petals.join('') + `<circle cx="${f(x)}" cy="${f(y)}" r="${f(r * 0.3)}" fill="${centre}"/>`;
    }
    case 'hydrangea':
      return Array.from({ length: 14 }, () => {
        const a = rand() * Math.PI * 2;
        const d = Math.sqrt(rand()) * r * 0.8;
        return `<circle cx="${f(x + Math.cos(a) * d)}" cy="${f(y + Math.sin(a) * d)}" r="${f(r * 0.22)}" fill="${color}" stroke="${dark}" stroke-width="0.8"/>`;
      }).join('');
    case 'lily': {
      const petals = Array.from({ length: 6 }, (_, i) => {
        const deg = (i / 6) * 360 + 15;
        return `<path d="M${f(x)} ${f(y)} Q${f(x - r * 0.35)} ${f(y - r * 0.6)} ${f(x)} ${f(y - r * 1.1)} Q${f(x + r * 0.35)} ${f(y - r * 0.6)} ${f(x)} ${f(y)} Z" fill="${color}" stroke="${dark}" transform="rotate(${deg} ${f(x)} ${f(y)})"/>`;
      });
      return petals.join('') + `<circle cx="${f(x)}" cy="${f(y)}" r="${f(r * 0.15)}" fill="#7a3b12"/>`;
    }
    case 'dried':
      return Array.from({ length: 9 }, () => {
        const a = rand() * Math.PI * 2;
        const d = rand() * r;
        return `<ellipse cx="${f(x + Math.cos(a) * d)}" cy="${f(y + Math.sin(a) * d)}" rx="${f(r * 0.12)}" ry="${f(r * 0.35)}" fill="${color}" transform="rotate(${f(rand() * 180)} ${f(x)} ${f(y)})"/>`;
      }).join('');
    case 'mixed':
      return flowerSvg(pick(rand, ['rose', 'peony', 'daisy', 'tulip'] as const), x, y, r, color, rand);
  }
}

/** The SVG drawing of photo `position` (1-based) of a product. */
export function bouquetSvg(productId: number, position: number, look?: BouquetLook): string {
  const rand = rng(productId * 2654435761);
  const palette = PALETTES[look?.palette ?? pick(rand, PALETTE_NAMES)];
  const kind = look?.flower ?? pick(rand, KINDS);
  const wrap = pick(rand, WRAPS);
  const green = pick(rand, GREENS);
  const flowerCount = 7 + Math.floor(rand() * 22);
  const flowerRadius = 34 - flowerCount * 0.6 + rand() * 6;
  const domeRadius = 85 + rand() * 40;
  const cx = 200;
  const cy = 165 + rand() * 20;

  const leaves = Array.from({ length: 6 + Math.floor(rand() * 8) }, () => {
    const a = rand() * Math.PI * 2;
    const x = cx + Math.cos(a) * domeRadius * 1.05;
    const y = cy + Math.sin(a) * domeRadius * 0.9;
    return `<ellipse cx="${f(x)}" cy="${f(y)}" rx="12" ry="30" fill="${green}" transform="rotate(${f((a * 180) / Math.PI + 90)} ${f(x)} ${f(y)})"/>`;
  }).join('');
  const stems = Array.from({ length: 5 }, (_, i) => {
    const x = cx - 20 + i * 10;
    return `<line x1="${x}" y1="${f(cy + 40)}" x2="${f(cx - 8 + i * 4)}" y2="385" stroke="${green}" stroke-width="6"/>`;
  }).join('');
  const flowers = Array.from({ length: flowerCount }, () => {
    const a = rand() * Math.PI * 2;
    const d = Math.sqrt(rand()) * domeRadius * 0.85;
    return flowerSvg(kind, cx + Math.cos(a) * d, cy + Math.sin(a) * d * 0.8, flowerRadius, pick(rand, palette), rand);
  }).join('');
  const wrapPaper =
    `<path d="M${f(cx - domeRadius * 1.1)} ${f(cy + 10)} L${cx} 360 L${f(cx + domeRadius * 1.1)} ${f(cy + 10)} ` +
    `L${f(cx + domeRadius * 0.6)} ${f(cy + 60)} L${f(cx - domeRadius * 0.6)} ${f(cy + 60)} Z" fill="${wrap}" opacity="0.92"/>`;
  const ribbon = `<rect x="${cx - 22}" y="300" width="44" height="12" rx="5" fill="${pick(rand, palette)}"/>`;

  // The camera: each position shifts background, angle and zoom a little.
  const view = rng(productId * 31 + position * 7919);
  const background = position === 1 ? BACKGROUNDS[productId % BACKGROUNDS.length] : pick(view, BACKGROUNDS);
  const angle = position === 1 ? 0 : (view() - 0.5) * 24;
  const zoom = position === 1 ? 1 : 0.85 + view() * 0.25;
  const shiftX = position === 1 ? 0 : (view() - 0.5) * 50;

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">` +
    `<rect width="${SIZE}" height="${SIZE}" fill="${background}"/>` +
    `<rect y="330" width="${SIZE}" height="70" fill="rgba(0,0,0,0.06)"/>` +
    `<g transform="translate(${f(200 + shiftX)} 200) rotate(${f(angle)}) scale(${zoom.toFixed(3)}) translate(-200 -200)">` +
    stems +
    leaves +
    wrapPaper +
    flowers +
    ribbon +
    `</g></svg>`
  );
}

const cache = new Map<string, Promise<Buffer>>();

/** JPEG bytes of photo `position` (1-based) of a product; drawn once, then served from memory. */
export function productImageJpeg(productId: number, position: number): Promise<Buffer> {
  const key = `${productId}-${position}`;
  let image = cache.get(key);
  if (!image) {
    const svg = bouquetSvg(productId, position, seedLookOf(productId));
    image = sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
    image.catch(() => cache.delete(key));
    cache.set(key, image);
  }
  return image;
}
