/**
 * Seed catalog of the production API stand-in: products shaped exactly like the shop's `/api/v2/products/`
 * answers (prices as tenge strings with assorted spaces, discounts as strings, heights as "70 см").
 */

export type FlowerPalette =
  'red' | 'white' | 'pink' | 'coral' | 'yellow' | 'orange' | 'purple' | 'blue' | 'burgundy' | 'cream' | 'mixed';
export type FlowerKind = 'rose' | 'peony' | 'tulip' | 'daisy' | 'hydrangea' | 'lily' | 'dried' | 'mixed';

/** What the drawn photos of a product look like (stand-in only, never served). */
export interface BouquetLook {
  palette: FlowerPalette;
  flower: FlowerKind;
}

/** A product as the production API serves it. */
export interface StandinProduct {
  id: number;
  title: string;
  price: string;
  isAvailable: boolean;
  image: string | null;
  images: string[];
  createdAt: string;
  type: 'vitrina' | 'catalog';
  discount: string;
  composition: string | null;
  catalogHeight: string;
  catalogWidth: string;
  productionTime: string | null;
  description?: string;
}

type Seed = [title: string, composition: string | null, priceTenge: number, palette: FlowerPalette, flower: FlowerKind];

const SEEDS: Seed[] = [
  ['Эустомы в пачке', 'Эустома 7 шт', 7500, 'purple', 'rose'],
  ['101 красная роза', 'Роза красная 101 шт', 89900, 'red', 'rose'],
  ['Пионы Сара Бернар', 'Пион Сара Бернар 15 шт', 45000, 'pink', 'peony'],
  ['Букет невесты', 'Роза кустовая, фрезия, эвкалипт', 32000, 'white', 'mixed'],
  ['Нежность', 'Роза, эустома, эвкалипт', 17820, 'pink', 'mixed'],
  ['25 тюльпанов микс', 'Тюльпан 25 шт', 18500, 'mixed', 'tulip'],
  ['Ақ раушандар — белые розы 51 шт', 'Роза белая 51 шт', 52000, 'white', 'rose'],
  ['Гүл шоғы «Анашым»', 'Хризантема, альстромерия, роза', 21000, 'coral', 'mixed'],
  ['Шляпная коробка с розами', 'Роза 19 шт, шляпная коробка', 27500, 'pink', 'rose'],
  ['Корзина с гортензиями', 'Гортензия, роза, эвкалипт', 38900, 'blue', 'hydrangea'],
  ['Ромашки полевые', 'Ромашка 15 шт', 9900, 'white', 'daisy'],
  ['Монобукет из хризантем', 'Хризантема кустовая 9 шт', 12990, 'yellow', 'daisy'],
  ['Альстромерии 11 шт', 'Альстромерия 11 шт', 11000, 'orange', 'lily'],
  ['Розы Эквадор 60 см', 'Роза Эквадор 25 шт', 41500, 'burgundy', 'rose'],
  ['Кустовые розы в крафте', 'Роза кустовая 7 шт, крафт', 14500, 'coral', 'rose'],
  ['Подсолнухи 9 шт', 'Подсолнух 9 шт', 16200, 'yellow', 'daisy'],
  ['Лаванда и розы', 'Роза, лаванда, эвкалипт', 19900, 'purple', 'mixed'],
  ['Ирисы синие', 'Ирис 15 шт', 13500, 'blue', 'lily'],
  ['Гортензия голубая', 'Гортензия 3 шт', 24000, 'blue', 'hydrangea'],
  ['Каллы белые', 'Калла 9 шт', 29000, 'white', 'tulip'],
  ['Орхидея в горшке', 'Фаленопсис', 22000, 'purple', 'lily'],
  ['Сборный букет «Алматы»', 'Роза, гвоздика, эвкалипт, писташ', 23500, 'red', 'mixed'],
  ['Букет «Астана»', 'Роза, эустома, маттиола, рускус', 26800, 'cream', 'mixed'],
  ['Весенний микс', 'Тюльпан, ирис, мимоза', 15800, 'mixed', 'tulip'],
  ['Мимоза', 'Мимоза 5 веток', 8500, 'yellow', 'hydrangea'],
  ['Розы пионовидные Бомбастик', 'Роза Бомбастик 15 шт', 31000, 'pink', 'peony'],
  ['Ранункулюсы 15 шт', 'Ранункулюс 15 шт', 27000, 'coral', 'peony'],
  ['Фрезия микс', 'Фрезия 11 шт', 14900, 'mixed', 'lily'],
  ['Гвоздики красные 25 шт', 'Гвоздика 25 шт', 12500, 'red', 'peony'],
  ['Сирень', 'Сирень 7 веток', 19500, 'purple', 'hydrangea'],
  ['Герберы 11 шт', 'Гербера 11 шт', 13200, 'orange', 'daisy'],
  ['Лилии белые', 'Лилия 5 шт, эвкалипт', 17400, 'white', 'lily'],
  ['Букет «Мама»', 'Роза, хризантема, альстромерия', 20500, 'pink', 'mixed'],
  ['Мұғалімге — букет для учителя', 'Хризантема, гербера, писташ', 11900, 'yellow', 'mixed'],
  ['51 роза микс', 'Роза 51 шт, 5 цветов', 49000, 'mixed', 'rose'],
  ['15 роз Ред Наоми', 'Роза Ред Наоми 15 шт', 19800, 'red', 'rose'],
  ['Розы Фрутетто', 'Роза Фрутетто 21 шт', 25200, 'orange', 'rose'],
  ['Букет «Комплимент»', 'Роза 3 шт, эвкалипт', 5000, 'red', 'rose'],
  ['Композиция в коробке «Сердце»', 'Роза 45 шт, коробка-сердце', 39500, 'burgundy', 'rose'],
  ['Корзина «Изобилие»', 'Роза, гортензия, хризантема, фрукты', 64000, 'mixed', 'mixed'],
  ['Эустома белая', 'Эустома 11 шт', 12100, 'white', 'rose'],
  ['Пионы Ред Шарм', 'Пион Ред Шарм 9 шт', 36500, 'burgundy', 'peony'],
  ['Пионы Коралл Шарм', 'Пион Коралл Шарм 9 шт', 36500, 'coral', 'peony'],
  ['Букет «Солнечный»', 'Подсолнух, хризантема, ромашка', 15600, 'yellow', 'mixed'],
  ['Букет «Первое свидание»', 'Роза, эустома', 13700, 'pink', 'mixed'],
  ['Гиацинты 9 шт', 'Гиацинт 9 шт', 14400, 'purple', 'hydrangea'],
  ['Антуриумы', 'Антуриум 5 шт, монстера', 21700, 'red', 'lily'],
  ['Протея королевская', 'Протея, эвкалипт', 18900, 'pink', 'dried'],
  ['Хлопок и эвкалипт', 'Хлопок, эвкалипт', 16500, 'cream', 'dried'],
  ['Сухоцветы «Бохо»', 'Лагурус, пампасная трава, лимониум', 19200, 'cream', 'dried'],
  ['Букет «Бал»', 'Роза, гортензия, маттиола', 34200, 'white', 'mixed'],
  ['Маттиола 15 шт', 'Маттиола 15 шт', 17100, 'purple', 'hydrangea'],
  ['Львиный зев', 'Антирринум 15 шт', 15300, 'pink', 'tulip'],
  ['Розы Кения 51 шт', 'Роза кустовая Кения 51 шт', 38700, 'mixed', 'rose'],
  ['Розы Мисс Пигги', 'Роза Мисс Пигги 25 шт', 28900, 'pink', 'rose'],
  ['Букет «Нұр»', 'Роза, хризантема, эвкалипт', 22800, 'cream', 'mixed'],
  ['Тюльпаны белые 51 шт', 'Тюльпан белый 51 шт', 35700, 'white', 'tulip'],
  ['Тюльпаны в коробке', 'Тюльпан 35 шт, коробка', 29500, 'red', 'tulip'],
  ['Хризантема Сантини в коробке', 'Хризантема Сантини, коробка', 16900, 'mixed', 'daisy'],
  ['Букет «Рахмет»', 'Роза, альстромерия, писташ', 14800, 'orange', 'mixed'],
  ['Букет «Құттықтаймын»', 'Роза, гербера, гипсофила', 18300, 'red', 'mixed'],
  ['Свадебная бутоньерка', 'Роза кустовая, гипсофила', 3500, 'white', 'rose'],
  ['Композиция с макарунами', 'Роза, эустома, макаруны', 24600, 'pink', 'rose'],
  ['Мужской букет', 'Антуриум, гвоздика, эвкалипт', 21900, 'burgundy', 'lily'],
  ['Амариллис', 'Амариллис 3 шт', 12700, 'red', 'lily'],
  ['Букет из 7 пионов', 'Пион 7 шт', 26000, 'pink', 'peony'],
];

/** Production ids are large and not contiguous, like the shop's Bitrix ids. */
const FIRST_ID = 697695;
const idAt = (index: number): number => FIRST_ID + index * 37 + (index % 5) * 3;

const SEPARATORS = [' ', '\u00a0', '\u202f', ''] as const;

/** 17820 → "17 820 ₸" with the given thousands separator ("" gives "17820 ₸"). */
export function formatTenge(tenge: number, separator: string = ' '): string {
  const digits = String(Math.round(tenge));
  const grouped = separator === '' ? digits : digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  return `${grouped}${separator || ' '}₸`;
}

export const productImagePath = (productId: number, position: number): string =>
  `/static/products/${productId}-${position}.jpg`;

/** Absolute image URLs of a product served by a stand-in at `origin`. */
export const productImageUrls = (origin: string, productId: number, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${origin}${productImagePath(productId, i + 1)}`);

const looks = new Map<number, BouquetLook>(SEEDS.map((s, i) => [idAt(i), { palette: s[3], flower: s[4] }]));

/** The drawing hints of a seed product, if `productId` is one. */
export const seedLookOf = (productId: number): BouquetLook | undefined => looks.get(productId);

function createdAtFor(index: number): string {
  const base = Date.UTC(2025, 0, 12, 9, 15, 0) + index * 4.3 * 86_400_000 + (index % 7) * 3_917_000;
  const local = new Date(base + 5 * 3_600_000); // the shop's clock is UTC+5
  return `${local.toISOString().slice(0, 19)}+0500`;
}

/** The seed catalog, with image URLs pointing at the stand-in serving at `origin`. */
export function seedCatalog(origin: string): StandinProduct[] {
  return SEEDS.map(([title, composition, priceTenge, , flower], index) => {
    const id = idAt(index);
    const type = index % 3 === 1 ? 'vitrina' : 'catalog';
    const imageCount = type === 'vitrina' ? 1 : 1 + ((index * 7) % 3);
    const images = productImageUrls(origin, id, imageCount);
    const product: StandinProduct = {
      id,
      title,
      price: formatTenge(priceTenge, SEPARATORS[index % SEPARATORS.length]),
      isAvailable: index % 11 !== 5,
      image: images[0],
      images,
      createdAt: createdAtFor(index),
      type,
      discount: index % 9 === 4 ? '10' : index % 13 === 8 ? '15' : '0',
      composition: index % 6 === 3 ? null : composition,
      catalogHeight: `${flower === 'dried' ? 45 : 40 + ((index * 5) % 50)} см`,
      catalogWidth: index % 4 === 0 ? `${30 + ((index * 3) % 25)} см` : '',
      productionTime: type === 'catalog' && index % 5 === 2 ? '2 часа' : null,
    };
    if (index % 8 === 0) product.description = `${title}. Свежие цветы, доставка по городу в день заказа.`;
    return product;
  });
}
