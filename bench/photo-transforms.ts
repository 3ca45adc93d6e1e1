import sharp from 'sharp';

/** The six ways a customer's photo of a catalog bouquet differs from the catalog photo. */
export const TRANSFORMS = ['crop', 'rotation', 'jpeg', 'color', 'mirror', 'combo'] as const;
export type TransformName = (typeof TRANSFORMS)[number];

const BACKGROUNDS = ['#3b3b3b', '#a0c4a8', '#d8b89c', '#6d7fa3', '#efe0f0'];

/** A transformed copy of `jpeg` (deterministic per `seed`). */
export async function transformPhoto(jpeg: Buffer, name: TransformName, seed = 0): Promise<Buffer> {
  const { width = 400, height = 400 } = await sharp(jpeg).metadata();
  switch (name) {
    case 'crop': {
      const w = Math.round(width * 0.72);
      const h = Math.round(height * 0.72);
      const left = Math.round((width - w) * ((seed % 3) / 2));
      const top = Math.round((height - h) * (((seed >> 1) % 3) / 2));
      return sharp(jpeg)
        .extract({ left, top, width: w, height: h })
        .resize(width, height)
        .jpeg({ quality: 85 })
        .toBuffer();
    }
    case 'rotation': {
      const rotated = await sharp(jpeg)
        .rotate(seed % 2 ? 17 : -13, { background: '#ffffff' })
        .toBuffer();
      return sharp(rotated).resize(width, height, { fit: 'cover' }).jpeg({ quality: 85 }).toBuffer();
    }
    case 'jpeg':
      return sharp(jpeg).resize(256, 256, { fit: 'inside' }).jpeg({ quality: 25 }).toBuffer();
    case 'color':
      return sharp(jpeg).modulate({ brightness: 1.15, saturation: 0.75, hue: 12 }).jpeg({ quality: 85 }).toBuffer();
    case 'mirror':
      return sharp(jpeg).flop().jpeg({ quality: 85 }).toBuffer();
    case 'combo': {
      const small = await sharp(jpeg)
        .resize(Math.round(width * 0.62))
        .rotate(8, { background: BACKGROUNDS[seed % 5] })
        .toBuffer();
      return sharp({ create: { width, height, channels: 3, background: BACKGROUNDS[(seed + 2) % 5] } })
        .composite([{ input: small, gravity: seed % 2 ? 'southeast' : 'center' }])
        .jpeg({ quality: 60 })
        .toBuffer();
    }
  }
}
